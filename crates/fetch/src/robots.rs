//! robots.txt, fetched once per host (scheme, host and port) and kept for the run.
//!
//! Parsing and matching are `texting_robots`' (agent groups, `*` and `$`, Allow beating
//! Disallow, `Crawl-delay`), given the bare agent token — `newslens`, not the whole User-Agent,
//! or it silently falls back to the `*` group. What an answer means follows RFC 9309: a 4xx
//! (no robots.txt) allows everything; a 5xx or no answer at all forbids everything on that host
//! for this run. This module does not make requests itself: the client hands it the answer.

use std::time::Duration;

use texting_robots::Robot;

/// The rules of one host.
pub enum Rules {
    /// No usable robots.txt (4xx, or one that does not parse): everything is allowed.
    AllowAll,
    /// The host's rules for newslens.
    Robot(Box<Robot>),
    /// robots.txt could not be fetched (5xx or no answer): nothing is fetched from the host.
    Unreachable(String),
}

impl Rules {
    /// The rules given by a robots.txt answer with this status and body.
    pub fn from_answer(agent_token: &str, status: u16, body: &[u8]) -> Rules {
        match status {
            200..=299 => Robot::new(agent_token, body)
                .map_or(Rules::AllowAll, |robot| Rules::Robot(Box::new(robot))),
            400..=499 if status != 429 => Rules::AllowAll,
            _ => Rules::Unreachable(format!("HTTP {status}")),
        }
    }

    /// Whether newslens may fetch `url` (a full URL of this host).
    pub fn allows(&self, url: &str) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::Robot(robot) => robot.allowed(url),
            Rules::Unreachable(_) => false,
        }
    }

    /// The delay the host asks for between requests (`Crawl-delay`), at most a minute.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Robot(robot) => robot
                .delay
                .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
                .map(|seconds| Duration::from_secs_f32(seconds.min(60.0))),
            _ => None,
        }
    }
}

/// The agent token robots.txt groups are matched against: the User-Agent up to its first `/` or
/// space (`newslens/0.1 (…)` → `newslens`).
pub fn agent_token(user_agent: &str) -> &str {
    user_agent
        .split(|c: char| c == '/' || c.is_whitespace())
        .next()
        .filter(|token| !token.is_empty())
        .unwrap_or("newslens")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &[u8] = b"User-agent: *\nDisallow: /\n\nUser-agent: newslens\nDisallow: /private/\nAllow: /private/open\nCrawl-delay: 2\n";

    #[test]
    fn the_newslens_group_applies_to_the_bare_token() {
        let rules = Rules::from_answer(agent_token("newslens/0.1 (research)"), 200, ROBOTS);
        assert!(rules.allows("https://a.example/world/1"));
        assert!(!rules.allows("https://a.example/private/2"));
        assert!(rules.allows("https://a.example/private/open"));
        assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn missing_robots_allows_and_an_unreachable_one_forbids() {
        assert!(Rules::from_answer("newslens", 404, b"").allows("https://a.example/x"));
        assert!(!Rules::from_answer("newslens", 503, b"").allows("https://a.example/x"));
    }
}
