//! Combiner teams: six pets, one per part, formed by presses and named by the dice; one team
//! per player; leaving frees a part or disbands a formed team; open teams expire; erasure
//! takes a player out.

use allspark_engine::fun::combiner::{Part, COMBINER_OPEN_SECS};
use allspark_engine::fun::{self, FunCommand, FunEvent, FunRejection};
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::player::PlayerCommand;
use allspark_engine::testing::{fun_events, TestEngine};
use allspark_engine::{Actor, Command, Outcome, PlayerId, Rejection};

fn fun(command: FunCommand) -> Command {
    Command::Fun(command)
}

fn refused(outcome: Outcome) -> FunRejection {
    match outcome {
        Outcome::Rejected(Rejection::Fun(rejection)) => rejection,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A test engine where players 1 to `n` have pets.
fn with_pets(n: u64) -> TestEngine {
    let mut test = TestEngine::new();
    for player in 1..=n {
        let adopted = test.run(
            Actor::Player(PlayerId(player)),
            Command::Pet(PetCommand::Adopt {
                faction: Faction::Autobot,
            }),
        );
        assert!(adopted.is_accepted(), "{adopted:?}");
    }
    test
}

fn take(team: u32, part: Part) -> Command {
    fun(FunCommand::CombinerTake { team, part })
}

#[test]
fn six_pets_form_a_named_team_one_part_each() {
    let mut test = with_pets(8);
    let p = |n| Actor::Player(PlayerId(n));
    let opened = fun_events(test.run(p(1), fun(FunCommand::CombinerOpen)));
    assert!(matches!(
        opened.as_slice(),
        [FunEvent::CombinerOpened { team: 1, .. }]
    ));
    // Without a pet, nobody joins.
    assert_eq!(
        refused(test.run(p(9), take(1, Part::Head))),
        FunRejection::NeedPet
    );
    for (n, part) in (1..).zip(Part::ALL.iter().take(5)) {
        let events = fun_events(test.run(p(n), take(1, *part)));
        assert_eq!(
            events,
            vec![FunEvent::CombinerJoined {
                team: 1,
                player: PlayerId(n),
                part: *part,
            }]
        );
    }
    // A part is taken once; a player is in one team at a time.
    assert_eq!(
        refused(test.run(p(6), take(1, Part::Head))),
        FunRejection::PartTaken { part: Part::Head }
    );
    assert_eq!(
        refused(test.run(p(2), take(1, Part::RightLeg))),
        FunRejection::InTeam { team: 1 }
    );
    assert_eq!(
        refused(test.run(p(2), fun(FunCommand::CombinerOpen))),
        FunRejection::InTeam { team: 1 }
    );
    // The sixth forms it, with a name the content has.
    let events = fun_events(test.run(p(6), take(1, Part::RightLeg)));
    let [FunEvent::CombinerJoined { .. }, FunEvent::CombinerFormed { team: 1, .. }] =
        events.as_slice()
    else {
        panic!("{events:?}");
    };
    let (name, members) = test
        .engine
        .query_blocking(|w| {
            let team = fun::view::team(w, 1).cloned().expect("team 1");
            (fun::view::team_name(&team), team.members.len())
        })
        .expect("read");
    assert!(name.is_some_and(|n| !n.is_empty()));
    assert_eq!(members, 6);
    assert_eq!(
        refused(test.run(p(7), take(1, Part::Head))),
        FunRejection::TeamFormed { team: 1 }
    );
    // Leaving a formed team disbands it: everyone is free again.
    let events = fun_events(test.run(p(3), fun(FunCommand::CombinerLeave)));
    assert_eq!(
        events,
        vec![FunEvent::CombinerDisbanded {
            team: 1,
            by: PlayerId(3)
        }]
    );
    let free = test
        .engine
        .query_blocking(|w| (1..=6).all(|n| fun::view::team_of(w, PlayerId(n)).is_none()))
        .expect("read");
    assert!(free);
    assert_eq!(
        refused(test.run(p(3), fun(FunCommand::CombinerLeave))),
        FunRejection::NotInTeam
    );
}

#[test]
fn open_teams_free_parts_on_leaving_and_expire_in_time() {
    let mut test = with_pets(3);
    let p = |n| Actor::Player(PlayerId(n));
    fun_events(test.run(p(1), fun(FunCommand::CombinerOpen)));
    fun_events(test.run(p(1), take(1, Part::Head)));
    fun_events(test.run(p(2), take(1, Part::Body)));
    let left = fun_events(test.run(p(2), fun(FunCommand::CombinerLeave)));
    assert_eq!(
        left,
        vec![FunEvent::CombinerLeft {
            team: 1,
            player: PlayerId(2)
        }]
    );
    fun_events(test.run(p(3), take(1, Part::Body)));
    let expire = fun(FunCommand::CombinerExpire { team: 1 });
    assert_eq!(
        refused(test.run(p(1), expire.clone())),
        FunRejection::SystemOnly
    );
    assert_eq!(
        refused(test.run(Actor::System, expire.clone())),
        FunRejection::TeamNotDue { team: 1 }
    );
    test.clock.advance_secs(COMBINER_OPEN_SECS);
    assert_eq!(
        refused(test.run(p(2), take(1, Part::LeftArm))),
        FunRejection::TeamExpired { team: 1 }
    );
    let due = test
        .engine
        .query_blocking(|w| fun::view::teams_due(w, allspark_engine::Timestamp(i64::MAX)))
        .expect("read");
    assert_eq!(due, vec![1]);
    assert_eq!(
        fun_events(test.run(Actor::System, expire)),
        vec![FunEvent::CombinerExpired { team: 1 }]
    );
    // The next team is number 2, and the players are free for it.
    let opened = fun_events(test.run(p(3), fun(FunCommand::CombinerOpen)));
    assert!(matches!(
        opened.as_slice(),
        [FunEvent::CombinerOpened { team: 2, .. }]
    ));
    assert_eq!(
        refused(test.run(p(1), take(9, Part::Head))),
        FunRejection::NoTeam { team: 9 }
    );
}

#[test]
fn erasure_takes_a_player_out_of_their_team() {
    let mut test = with_pets(2);
    let p = |n| Actor::Player(PlayerId(n));
    fun_events(test.run(p(1), fun(FunCommand::CombinerOpen)));
    fun_events(test.run(p(1), take(1, Part::Head)));
    fun_events(test.run(p(2), take(1, Part::Body)));
    let erased = test.run(
        Actor::Operator(PlayerId(999)),
        Command::Player(PlayerCommand::Erase {
            player: PlayerId(1),
        }),
    );
    assert!(erased.is_accepted(), "{erased:?}");
    let team = test
        .engine
        .query_blocking(|w| fun::view::team(w, 1).cloned())
        .expect("read")
        .expect("still open");
    assert_eq!(team.founder, None);
    assert_eq!(
        team.members.values().copied().collect::<Vec<_>>(),
        vec![PlayerId(2)]
    );
}
