//! Live spectating: one follower per watched battle turns its stream into frames (a resolved
//! turn, or the end), and every spectator of that battle gets the same frames over
//! Server-Sent Events. A frame's SSE id is the stream version of the event it tells, so a
//! browser that lost its connection resumes with `Last-Event-ID` and gets exactly the frames
//! after it: the backlog and the live feed are handed out under one lock, so nothing falls
//! between them and nothing comes twice.
//!
//! Each frame is drawn and serialized once, however many watch: a thousand spectators cost a
//! thousand small writes a turn, not a thousand re-simulations (`benches/spectators.rs`).

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use allspark_engine::battle::view;
use allspark_engine::battle::{BattleEvent, BattleId};
use allspark_engine::world::Event;
use allspark_engine::RecordedEvent;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{self, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::pages::{self, Names};
use super::Site;
use crate::app::App;

/// Frames a spectator may fall behind before it is let go (its browser then resumes).
const LAG_MAX: usize = 256;

/// How long a follower nobody watches waits before it stops.
const IDLE: Duration = Duration::from_secs(60);

/// One thing to tell spectators.
#[derive(Debug)]
pub struct Frame {
    /// The stream version of the event it tells: the SSE id.
    pub version: u64,
    /// `turn` or `end`.
    pub kind: &'static str,
    /// The frame as JSON.
    pub data: String,
}

impl Frame {
    fn turn(entry: &pages::TurnEntry) -> Frame {
        Frame {
            version: entry.version,
            kind: "turn",
            data: serde_json::to_string(entry).unwrap_or_default(),
        }
    }

    fn end(ending: &pages::Ending) -> Frame {
        Frame {
            version: ending.version,
            kind: "end",
            data: serde_json::to_string(ending).unwrap_or_default(),
        }
    }
}

struct Told {
    frames: Vec<Arc<Frame>>,
    /// No frame will follow: the battle ended, or its follower stopped.
    closed: bool,
}

/// A watched battle's frames so far and the feed of the next ones.
pub struct Channel {
    told: Mutex<Told>,
    feed: broadcast::Sender<Arc<Frame>>,
}

impl Channel {
    fn new(frames: Vec<Arc<Frame>>, closed: bool) -> Channel {
        Channel {
            told: Mutex::new(Told { frames, closed }),
            feed: broadcast::channel(LAG_MAX).0,
        }
    }

    fn told(&self) -> std::sync::MutexGuard<'_, Told> {
        self.told.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The frames after version `after`, and the feed of the next ones unless none will come.
    pub fn join(&self, after: u64) -> (Vec<Arc<Frame>>, Option<broadcast::Receiver<Arc<Frame>>>) {
        let told = self.told();
        let backlog = told
            .frames
            .iter()
            .filter(|f| f.version > after)
            .cloned()
            .collect();
        let feed = (!told.closed).then(|| self.feed.subscribe());
        (backlog, feed)
    }

    fn tell(&self, frame: Frame, last: bool) {
        let frame = Arc::new(frame);
        let mut told = self.told();
        told.frames.push(frame.clone());
        told.closed |= last;
        // Nobody listening is not an error.
        let _ = self.feed.send(frame);
    }

    fn close(&self) {
        self.told().closed = true;
    }
}

/// The battles being watched.
pub struct Spectators {
    app: App,
    channels: Mutex<BTreeMap<BattleId, Arc<Channel>>>,
}

impl Spectators {
    pub fn new(app: App) -> Spectators {
        Spectators {
            app,
            channels: Mutex::new(BTreeMap::new()),
        }
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, BTreeMap<BattleId, Arc<Channel>>> {
        self.channels.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The battle's channel, starting its follower if it runs; `Ok(None)` if no such battle.
    pub async fn channel(
        self: &Arc<Self>,
        battle: BattleId,
    ) -> Result<Option<Arc<Channel>>, Response> {
        if let Some(channel) = self.channels().get(&battle) {
            return Ok(Some(channel.clone()));
        }
        let Some(loaded) = pages::load(&self.app, battle).await? else {
            return Ok(None);
        };
        let mut frames: Vec<Arc<Frame>> = pages::turns(&loaded.records, &loaded.names)
            .unwrap_or_default()
            .iter()
            .map(|entry| Arc::new(Frame::turn(entry)))
            .collect();
        if let Some(ending) = pages::ending(&loaded.records, &loaded.card, &loaded.names) {
            frames.push(Arc::new(Frame::end(&ending)));
            return Ok(Some(Arc::new(Channel::new(frames, true))));
        }
        let channel = {
            let mut channels = self.channels();
            if let Some(channel) = channels.get(&battle) {
                // Another spectator started it meanwhile.
                return Ok(Some(channel.clone()));
            }
            let channel = Arc::new(Channel::new(frames, false));
            channels.insert(battle, channel.clone());
            channel
        };
        let spectators = self.clone();
        let follower = channel.clone();
        tokio::spawn(async move {
            spectators
                .follow(battle, follower.clone(), loaded.records, loaded.names)
                .await;
            follower.close();
            let mut channels = spectators.channels();
            if channels
                .get(&battle)
                .is_some_and(|c| Arc::ptr_eq(c, &follower))
            {
                channels.remove(&battle);
            }
        });
        Ok(Some(channel))
    }

    /// Tells the battle's new turns until it ends, or until nobody has watched for [`IDLE`].
    async fn follow(
        &self,
        battle: BattleId,
        channel: Arc<Channel>,
        mut records: Vec<RecordedEvent>,
        names: Names,
    ) {
        let next = records.last().map_or(1, |r| r.stream_version + 1);
        let mut subscription = self.app.engine.follow(battle.stream(), next);
        loop {
            let recorded = match tokio::time::timeout(IDLE, subscription.next()).await {
                Err(_) if channel.feed.receiver_count() == 0 => return,
                Err(_) => continue,
                Ok(Ok(Some(recorded))) => recorded,
                Ok(Ok(None)) | Ok(Err(_)) => return,
            };
            let what = match &recorded.event {
                Event::Battle(BattleEvent::TurnResolved { .. }) => Some(false),
                Event::Battle(BattleEvent::Ended { .. }) => Some(true),
                _ => None,
            };
            records.push(recorded);
            match what {
                Some(false) => {
                    let Some(entry) =
                        pages::turns(&records, &names).and_then(|turns| turns.last().cloned())
                    else {
                        return;
                    };
                    channel.tell(Frame::turn(&entry), false);
                }
                Some(true) => {
                    let history = pages::battle_events(&records);
                    let ending = view::card(None, &history)
                        .and_then(|card| pages::ending(&records, &card, &names));
                    if let Some(ending) = ending {
                        channel.tell(Frame::end(&ending), true);
                    }
                    return;
                }
                None => {}
            }
        }
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct After {
    after: Option<u64>,
}

/// `/battles/<id>/live`: the frames after `Last-Event-ID` (or `?after=`), then live ones.
pub(crate) async fn stream(
    State(site): State<Site>,
    Path(id): Path<String>,
    Query(query): Query<After>,
    headers: HeaderMap,
) -> Response {
    let Some(battle) = pages::battle_id(&id) else {
        return pages::not_found(&site, "There is no such battle.");
    };
    let resumed = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let after = resumed.or(query.after).unwrap_or(0);
    let channel = match site.spectators.channel(battle).await {
        Ok(Some(channel)) => channel,
        Ok(None) => return pages::not_found(&site, "There is no such battle."),
        Err(response) => return response,
    };
    let (backlog, feed) = channel.join(after);
    if backlog.is_empty() && feed.is_none() {
        // Nothing more will come: 204 tells a browser to stop reconnecting.
        return StatusCode::NO_CONTENT.into_response();
    }
    let state = Reader {
        backlog: backlog.into(),
        feed,
        last: after,
    };
    let events = futures_util::stream::unfold(state, |mut reader| async move {
        let frame = reader.next().await?;
        let event = sse::Event::default()
            .id(frame.version.to_string())
            .event(frame.kind)
            .data(frame.data.as_str());
        Some((Ok::<_, Infallible>(event), reader))
    });
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// One spectator's place in a channel.
struct Reader {
    backlog: VecDeque<Arc<Frame>>,
    feed: Option<broadcast::Receiver<Arc<Frame>>>,
    last: u64,
}

impl Reader {
    /// The next frame to send; `None` ends the response (the battle ended, or this spectator
    /// fell too far behind and its browser resumes from what it has).
    async fn next(&mut self) -> Option<Arc<Frame>> {
        loop {
            let frame = match self.backlog.pop_front() {
                Some(frame) => frame,
                None => match self.feed.as_mut()?.recv().await {
                    Ok(frame) => frame,
                    Err(_) => return None,
                },
            };
            if frame.version > self.last {
                self.last = frame.version;
                if frame.kind == "end" {
                    self.feed = None;
                }
                return Some(frame);
            }
        }
    }
}
