//! The recruiter: the fetched nations leaders browse (kept in memory, a few sessions at a
//! time), and the send worker that messages them at most once.
//!
//! Each send is three steps: `Attempt` is executed and durable before the request leaves (the
//! engine checks the cooldowns and picks the template), the request goes out, then `Confirm` or
//! `Fail` records a definite outcome. An unknown outcome records nothing more: the send stays
//! attempted, holds the nation's cooldowns and is listed for review in `/recruitment_stats`.
//! Only the caller that got a fresh `Attempted` sends; a retried command id (a redelivered
//! press) gets the recorded outcome, marked duplicate, and sends nothing. After a crash the
//! engine refuses the nation (its cooldown), so nothing is ever sent twice.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use allspark_engine::recruit::content::fill;
use allspark_engine::recruit::view::{self, Candidate, Filtered};
use allspark_engine::recruit::{FailReason, NationId, RecruitCommand, RecruitEvent, SendId};
use allspark_engine::{Actor, Command, Engine, Event, Outcome, PlayerId, Timestamp};

use crate::config::Pnw;
use crate::recruit::client::{Client, FetchError, Nation, SendOutcome, WAIT_MAX};
use crate::worker::derived_id;

/// Nations a browse keeps (10 pages of 10).
pub const SHOWN_MAX: usize = 100;
pub const PAGE_LEN: usize = 10;
/// Browses kept in memory at once; the oldest is dropped first.
pub const SESSIONS_MAX: usize = 16;

/// One browse: the eligible nations shown, newest activity first, and what the fetch saw.
#[derive(Clone, Debug)]
pub struct Session {
    pub owner: u64,
    pub nations: Vec<Nation>,
    pub fetched: usize,
    pub filtered: Filtered,
    pub stopped: Option<FetchError>,
    pub at: Timestamp,
}

/// A fetch started by `/recruit`, running in the background: its pages so far and, once it is
/// over, the browse it made (or why it failed).
#[derive(Debug, Default)]
pub struct Fetch {
    /// Who asked for it (the list's buttons are theirs).
    pub owner: u64,
    pub pages: AtomicUsize,
    /// The most pages the fetch may read (`PNW_MAX_NATIONS` over the page size).
    pub pages_max: usize,
    pub result: Mutex<Option<Result<Arc<Session>, String>>>,
    pub finished: tokio::sync::Notify,
}

impl Fetch {
    pub fn outcome(&self) -> Option<Result<Arc<Session>, String>> {
        self.result.lock().ok()?.clone()
    }
}

/// A run of sends in progress (or finished), with its live counts.
#[derive(Debug, Default)]
pub struct Job {
    pub owner: u64,
    pub total: usize,
    pub sent: AtomicUsize,
    pub failed: AtomicUsize,
    /// Sent, but the outcome is unknown: awaiting review.
    pub unknown: AtomicUsize,
    /// Refused by the engine before sending (a cooldown), or already decided.
    pub skipped: AtomicUsize,
    pub stop: AtomicBool,
    pub done: AtomicBool,
    /// Why the run ended early, if it did.
    pub ended: Mutex<Option<String>>,
}

/// The counts of a job, read at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub owner: u64,
    pub total: usize,
    pub sent: usize,
    pub failed: usize,
    pub unknown: usize,
    pub skipped: usize,
    pub remaining: usize,
    pub stopping: bool,
    pub done: bool,
    pub ended: Option<String>,
}

impl Job {
    pub fn progress(&self) -> Progress {
        let sent = self.sent.load(Ordering::SeqCst);
        let failed = self.failed.load(Ordering::SeqCst);
        let unknown = self.unknown.load(Ordering::SeqCst);
        let skipped = self.skipped.load(Ordering::SeqCst);
        Progress {
            owner: self.owner,
            total: self.total,
            sent,
            failed,
            unknown,
            skipped,
            remaining: self.total.saturating_sub(sent + failed + unknown + skipped),
            stopping: self.stop.load(Ordering::SeqCst),
            done: self.done.load(Ordering::SeqCst),
            ended: self.ended.lock().ok().and_then(|e| e.clone()),
        }
    }
}

/// Recruitment's settings, client, browses and the one send run.
pub struct Recruiter {
    pub settings: Pnw,
    client: Option<Client>,
    sessions: Mutex<BTreeMap<u64, Arc<Session>>>,
    job: Mutex<Option<Arc<Job>>>,
    fetches: Mutex<BTreeMap<u64, Arc<Fetch>>>,
}

impl Default for Recruiter {
    fn default() -> Recruiter {
        Recruiter::new(Pnw::default())
    }
}

/// What one send came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    Delivered(SendId),
    Failed(SendId),
    /// Refused with a 429: the run waits this long (or ends, past [`WAIT_MAX`]).
    RateLimited(SendId, Option<std::time::Duration>),
    Unknown(SendId),
    /// Nothing was sent: the engine refused (cooldown) or had already decided this attempt.
    Skipped,
}

impl Recruiter {
    pub fn new(settings: Pnw) -> Recruiter {
        let client = settings
            .api_key
            .as_ref()
            .map(|_| Client::new(settings.clone()));
        Recruiter {
            settings,
            client,
            sessions: Mutex::new(BTreeMap::new()),
            job: Mutex::new(None),
            fetches: Mutex::new(BTreeMap::new()),
        }
    }

    /// With a client whose backoff is shorter (tests).
    pub fn with_backoff(mut self, backoff: std::time::Duration) -> Recruiter {
        if let Some(client) = &mut self.client {
            client.backoff = backoff;
        }
        self
    }

    pub fn configured(&self) -> bool {
        self.client.is_some()
    }

    /// Whether this person may recruit: the operator, a configured leader, or someone with a
    /// configured role.
    pub fn is_leader(&self, user: u64, roles: &[u64], operator: bool) -> bool {
        operator
            || self.settings.leaders.contains(&user)
            || roles.iter().any(|r| self.settings.leader_roles.contains(r))
    }

    /// The roles that let members recruit: a gate, which no quiz may hand out.
    pub fn gate_roles(&self) -> &std::collections::BTreeSet<u64> {
        &self.settings.leader_roles
    }

    pub fn session(&self, id: u64) -> Option<Arc<Session>> {
        self.sessions.lock().ok()?.get(&id).cloned()
    }

    pub fn job(&self) -> Option<Arc<Job>> {
        self.job.lock().ok()?.clone()
    }

    /// The fetch that is making browse `id`, while it runs and after.
    pub fn fetch(&self, id: u64) -> Option<Arc<Fetch>> {
        self.fetches.lock().ok()?.get(&id).cloned()
    }

    /// Starts [`Recruiter::browse`] for session `id` in the background, counting its pages in
    /// the returned [`Fetch`] so a view can show how far it has got.
    pub fn start_browse(self: &Arc<Self>, engine: &Engine, owner: u64, id: u64) -> Arc<Fetch> {
        let fetch = Arc::new(Fetch {
            owner,
            pages_max: self
                .settings
                .max_nations
                .div_ceil(crate::recruit::client::PAGE_SIZE),
            ..Fetch::default()
        });
        if let Ok(mut fetches) = self.fetches.lock() {
            fetches.insert(id, fetch.clone());
            while fetches.len() > SESSIONS_MAX {
                let Some(oldest) = fetches.keys().next().copied() else {
                    break;
                };
                fetches.remove(&oldest);
            }
        }
        let (recruiter, engine, running) = (self.clone(), engine.clone(), fetch.clone());
        tokio::spawn(async move {
            let result = recruiter
                .browse_counting(&engine, owner, id, &running.pages)
                .await
                .map_err(|error| error.to_string());
            if let Ok(mut slot) = running.result.lock() {
                *slot = Some(result);
            }
            running.finished.notify_waiters();
        });
        fetch
    }

    /// Fetches, filters against the engine (admin, vacation, inactivity, cooldowns) and keeps
    /// the first [`SHOWN_MAX`] as session `id`.
    pub async fn browse(
        &self,
        engine: &Engine,
        owner: u64,
        id: u64,
    ) -> Result<Arc<Session>, FetchError> {
        self.browse_counting(engine, owner, id, &AtomicUsize::new(0))
            .await
    }

    /// [`Recruiter::browse`], counting the pages read in `pages`.
    pub async fn browse_counting(
        &self,
        engine: &Engine,
        owner: u64,
        id: u64,
        pages: &AtomicUsize,
    ) -> Result<Arc<Session>, FetchError> {
        let Some(client) = &self.client else {
            return Err(FetchError::Unauthorized);
        };
        let fetched = client.fetch_nations(pages).await?;
        let candidates: Vec<Candidate> = fetched
            .nations
            .iter()
            .map(|n| Candidate {
                nation: NationId(n.id),
                last_active: n.last_active,
                vacation_turns: n.vacation_turns,
                alliance: n.alliance,
            })
            .collect();
        let now = engine.now();
        let days = self.settings.inactive_days;
        let filtered = engine
            .query(move |w| view::eligible(w, &candidates, now, days))
            .await
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        let nations: Vec<Nation> = filtered
            .eligible
            .iter()
            .take(SHOWN_MAX)
            .filter_map(|i| fetched.nations.get(*i).cloned())
            .collect();
        let session = Arc::new(Session {
            owner,
            fetched: fetched.nations.len(),
            nations,
            filtered,
            stopped: fetched.stopped,
            at: now,
        });
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(id, session.clone());
            while sessions.len() > SESSIONS_MAX {
                let Some(oldest) = sessions.keys().next().copied() else {
                    break;
                };
                sessions.remove(&oldest);
            }
        }
        Ok(session)
    }

    /// Starts sending to `nations` for `leader` in the background, one at a time with the
    /// configured pause; refused while another run is going. `run` names the run (the press
    /// that started it), so its commands have derived ids.
    pub fn start(
        self: &Arc<Self>,
        engine: Engine,
        leader: PlayerId,
        run: u128,
        nations: Vec<Nation>,
    ) -> Result<Arc<Job>, String> {
        let Some(client) = self.client.clone() else {
            return Err("recruitment is not configured".to_string());
        };
        let job = {
            let Ok(mut slot) = self.job.lock() else {
                return Err("the recruiter is unavailable".to_string());
            };
            if let Some(running) = slot.as_ref().filter(|j| !j.done.load(Ordering::SeqCst)) {
                let p = running.progress();
                return Err(format!(
                    "a send run is already going ({} of {} done); wait for it or press Stop",
                    p.total - p.remaining,
                    p.total
                ));
            }
            let job = Arc::new(Job {
                owner: leader.0,
                total: nations.len(),
                ..Job::default()
            });
            *slot = Some(job.clone());
            job
        };
        let alliance = self.settings.alliance_name.clone();
        let interval = self.settings.send_interval;
        let running = job.clone();
        tokio::spawn(async move {
            for (index, nation) in nations.iter().enumerate() {
                if running.stop.load(Ordering::SeqCst) {
                    set_ended(&running, "stopped by a leader");
                    break;
                }
                if index > 0 {
                    tokio::time::sleep(interval).await;
                }
                match send_one(&engine, &client, run, nation, leader, &alliance).await {
                    Ok(Sent::Delivered(_)) => running.sent.fetch_add(1, Ordering::SeqCst),
                    Ok(Sent::Failed(_)) => running.failed.fetch_add(1, Ordering::SeqCst),
                    Ok(Sent::RateLimited(_, wait)) => {
                        running.failed.fetch_add(1, Ordering::SeqCst);
                        let wait = wait.unwrap_or(WAIT_MAX);
                        if wait > WAIT_MAX {
                            set_ended(&running, "the game is rate-limiting sends; try later");
                            break;
                        }
                        tracing::warn!(?wait, "recruitment sends rate-limited; pausing");
                        tokio::time::sleep(wait).await;
                        0
                    }
                    Ok(Sent::Unknown(_)) => running.unknown.fetch_add(1, Ordering::SeqCst),
                    Ok(Sent::Skipped) => running.skipped.fetch_add(1, Ordering::SeqCst),
                    Err(trouble) => {
                        set_ended(&running, &trouble);
                        break;
                    }
                };
            }
            running.done.store(true, Ordering::SeqCst);
        });
        Ok(job)
    }
}

fn set_ended(job: &Job, why: &str) {
    if let Ok(mut ended) = job.ended.lock() {
        *ended = Some(why.to_string());
    }
}

/// One send, at most once: `Attempt` (durable), the request, then its outcome. `Err` only when
/// the engine is in trouble (the run stops).
pub async fn send_one(
    engine: &Engine,
    client: &Client,
    run: u128,
    nation: &Nation,
    leader: PlayerId,
    alliance: &str,
) -> Result<Sent, String> {
    let id = derived_id("recruit-attempt", &[run, u128::from(nation.id)]);
    let command = Command::Recruit(RecruitCommand::Attempt {
        nation: NationId(nation.id),
        leader,
    });
    let reply = engine
        .execute(engine.envelope(id, Actor::System, command))
        .await
        .map_err(|e| e.to_string())?;
    if reply.duplicate {
        // Decided before (a redelivered press): whoever decided it was the one to send.
        return Ok(Sent::Skipped);
    }
    let Outcome::Accepted(events) = reply.outcome else {
        return Ok(Sent::Skipped);
    };
    let Some((send, template)) = events.iter().find_map(|e| match &e.event {
        Event::Recruit(RecruitEvent::Attempted { send, template, .. }) => Some((*send, *template)),
        _ => None,
    }) else {
        return Ok(Sent::Skipped);
    };
    let Some(template) = view::template(template) else {
        // Cannot happen with the embedded content; the attempt stays for review.
        return Ok(Sent::Unknown(send));
    };
    let (subject, body) = fill(template, &nation.leader_name, alliance);
    let outcome = client.send(nation.id, &subject, &body).await;
    let (command, sent) = match &outcome {
        SendOutcome::Delivered => (RecruitCommand::Confirm { send }, Sent::Delivered(send)),
        SendOutcome::Failed {
            reason,
            detail,
            retry_after,
        } => {
            tracing::warn!(%send, nation = nation.id, %detail, "recruitment send failed");
            let sent = match reason {
                FailReason::RateLimited => Sent::RateLimited(send, *retry_after),
                _ => Sent::Failed(send),
            };
            (
                RecruitCommand::Fail {
                    send,
                    reason: *reason,
                },
                sent,
            )
        }
        SendOutcome::Unknown { detail } => {
            tracing::warn!(%send, nation = nation.id, %detail, "recruitment send outcome unknown; left for review");
            return Ok(Sent::Unknown(send));
        }
    };
    let id = derived_id("recruit-outcome", &[u128::from(send.0)]);
    engine
        .execute(engine.envelope(id, Actor::System, Command::Recruit(command)))
        .await
        .map_err(|e| e.to_string())?;
    Ok(sent)
}
