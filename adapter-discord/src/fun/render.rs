//! The fun area's views: a greeting on its rung, a grump (pinging the grump), the opt-out's
//! answer, and the words for fun events. Pure: events and content in, [`Reply`] out.

use allspark_engine::fun::{self, FunEvent, Ladder};
use allspark_engine::PlayerId;

use crate::reply::Reply;
use crate::view::truncate;

/// A hello or ping reply: the line of its rung (`latency` fills a pong's `{latency}`).
pub fn greeting(event: &FunEvent, latency: &str) -> Reply {
    let FunEvent::Greeted {
        player,
        ladder,
        level,
        line,
    } = event
    else {
        return Reply::refusal("Nothing to say; try again.");
    };
    let text = fun::view::greeting(*ladder, *level, *line).unwrap_or(match ladder {
        Ladder::Hello => "Hello.",
        Ladder::Ping => "Pong ({latency}).",
    });
    let text = text
        .replace("{user}", &format!("<@{player}>"))
        .replace("{latency}", latency);
    Reply::text(truncate(&text, 1_900))
}

/// A grump: the line naming the grump, who is pinged (and only them).
pub fn grump(event: &FunEvent) -> Reply {
    let FunEvent::Grumped {
        player,
        target,
        line,
        ..
    } = event
    else {
        return Reply::refusal("The grump stayed asleep; try again.");
    };
    let text = fun::view::grump_line(*line)
        .unwrap_or("Hmph, {target}.")
        .replace("{target}", &format!("<@{target}>"));
    Reply {
        pings: vec![target.0],
        ..Reply::text(truncate(
            &format!("{text}\n-# sent by <@{player}> · /grump_optout to stop these"),
            1_900,
        ))
    }
}

/// The opt-out's answer, privately.
pub fn opted(player: PlayerId, out: bool) -> Reply {
    Reply {
        ephemeral: true,
        ..Reply::text(if out {
            format!("<@{player}>, nobody can /grump at you any more. /grump_optout action:in undoes it.")
        } else {
            format!("<@{player}>, you can be grumped at again.")
        })
    }
}

/// A line of words for a fun event.
pub fn describe(event: &FunEvent) -> Option<String> {
    Some(match event {
        FunEvent::Greeted { ladder, level, .. } => match ladder {
            Ladder::Hello => format!("Said hello (rung {level})"),
            Ladder::Ping => format!("Pinged the bot (rung {level})"),
        },
        FunEvent::Grumped { target, .. } => format!("Grumped at <@{target}>"),
        FunEvent::GrumpOptOutSet { out: true, .. } => "Opted out of grumps".into(),
        FunEvent::GrumpOptOutSet { out: false, .. } => "Opted back into grumps".into(),
    })
}
