//! WalkTru's rules. `WalkStart` begins a story at its start with the meter's starting value
//! (refused while a walk of it is going, unless `restart`, which gives that one up first).
//! `WalkChoose` plays one choice of the stage the walk is at: the dice roll 1 to 100 once; a
//! roll within the stage's total-failure chance ends the story in that failure, otherwise a
//! roll within the choice's chance is a success; the outcome's change moves the meter (kept in
//! its bounds), and the story goes on to the outcome's next stage, or ends: in that ending, or
//! in the story's meter-loss ending when the meter reached its losing bound.
//!
//! Checks run in this order: `NoStory` (not a genre), then for a start `WalkGoing`; for a
//! choice `NoWalk` (none going), `WalkMoved` (the stage is not where the walk is: a stale
//! button), `NoChoice`.

use crate::content;
use crate::fun::story::Story;
use crate::fun::{FunEvent, FunRejection};
use crate::ids::PlayerId;
use crate::world::{Ctx, World};

fn story(id: &str) -> Result<&'static Story, FunRejection> {
    content::get()
        .walktru
        .story(id)
        .ok_or_else(|| FunRejection::NoStory {
            story: id.to_string(),
        })
}

pub(crate) fn start(
    world: &World,
    player: PlayerId,
    id: &str,
    restart: bool,
) -> Result<Vec<FunEvent>, FunRejection> {
    let story = story(id)?;
    let mut events = Vec::new();
    if let Some(walk) = world.fun.walks.get(&(player, id.to_string())) {
        if walk.ended.is_none() {
            if !restart {
                return Err(FunRejection::WalkGoing {
                    story: id.to_string(),
                });
            }
            events.push(FunEvent::WalkAbandoned {
                player,
                story: id.to_string(),
            });
        }
    }
    events.push(FunEvent::WalkStarted {
        player,
        story: id.to_string(),
        stage: story.start.clone(),
        meter: story.meter.start,
    });
    Ok(events)
}

pub(crate) fn choose(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    (id, stage, choice): (&str, &str, u8),
) -> Result<Vec<FunEvent>, FunRejection> {
    let story = story(id)?;
    let walk = world
        .fun
        .walks
        .get(&(player, id.to_string()))
        .filter(|w| w.ended.is_none())
        .ok_or_else(|| FunRejection::NoWalk {
            story: id.to_string(),
        })?;
    if walk.stage != stage {
        return Err(FunRejection::WalkMoved {
            story: id.to_string(),
        });
    }
    let here = story
        .stages
        .get(stage)
        .ok_or_else(|| FunRejection::WalkMoved {
            story: id.to_string(),
        })?;
    let picked = here
        .choices
        .get(usize::from(choice))
        .ok_or(FunRejection::NoChoice { choice })?;
    let roll = ctx.dice.die(100) as u8;
    let total = here.total_failure.as_ref().filter(|t| roll <= t.chance);
    let (success, next, meter) = match total {
        Some(total) => (false, total.ending.clone(), walk.meter),
        None => {
            let success = roll <= picked.chance;
            let outcome = if success {
                &picked.success
            } else {
                &picked.failure
            };
            (
                success,
                outcome.next.clone(),
                story.meter.apply(walk.meter, outcome.change),
            )
        }
    };
    let mut events = vec![FunEvent::WalkStepped {
        player,
        story: id.to_string(),
        from: stage.to_string(),
        choice,
        roll,
        success,
        total_failure: total.is_some(),
        meter,
        next: next.clone(),
    }];
    let ending = if total.is_some() || story.endings.contains_key(&next) {
        Some(next)
    } else if story.meter.lost(meter) {
        Some(story.meter_loss.clone())
    } else {
        None
    };
    if let Some(ending) = ending {
        events.push(FunEvent::WalkEnded {
            player,
            story: id.to_string(),
            ending,
        });
    }
    Ok(events)
}
