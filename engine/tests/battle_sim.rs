//! The battle simulator's mechanics, one rule per test, driven only through `Sim::resolve_turn`
//! and the crate's public types: the d20 roll multiplier (fumbles, criticals), guards, parries
//! and protecting a teammate, charge and the faction special, every status and its duration,
//! boss phases, the enemy AI's fixed rules, enemy abilities and the turn-limit judgement.
//!
//! Expectations come from the rules in `battle/sim.rs`, never from a recorded run. Where dice
//! matter, a test either checks an invariant on every seed of a range (and that the range
//! reached every branch it checks), or searches seeds deterministically for the roll it needs
//! and compares the result with a control battle that rolls the same die.

use allspark_engine::battle::content::Effect;
use allspark_engine::battle::sim::{
    roll_multiplier, AbilitySpec, Action, EnemyKit, Fighter, Hit, PhaseSpec, Sim, SimOutcome,
    Status, StatusKind, Who, CHARGE_MAX, CHARGING_DAMAGE_PERCENT, RULES_VERSION, TURNS_MAX,
};
use allspark_engine::pets::Faction;
use allspark_engine::{PlayerId, Seed};

/// Seeds an every-seed invariant covers, and the most a search tries.
const SEEDS: u128 = 600;

/// Health big enough that nobody faints by accident.
const TOUGH: u32 = 1_000_000;

// ------------------------------------------------------------------------------------------
// Builders and log readers
// ------------------------------------------------------------------------------------------

fn pet(side: u8, hp: u32, hp_max: u32, attack: u32, defense: u32) -> Fighter {
    Fighter::new(
        Who::Pet {
            player: PlayerId(u64::from(side) + 1),
            faction: Faction::Autobot,
        },
        side,
        10,
        hp,
        hp_max,
        attack,
        defense,
    )
}

fn of_faction(mut fighter: Fighter, faction: Faction) -> Fighter {
    if let Who::Pet { player, .. } = fighter.who {
        fighter.who = Who::Pet { player, faction };
    }
    fighter
}

fn enemy(hp: u32, hp_max: u32, attack: u32, defense: u32) -> Fighter {
    Fighter::new(Who::Enemy, 1, 10, hp, hp_max, attack, defense)
}

fn with_status(mut fighter: Fighter, kind: StatusKind, magnitude: u32, turns_left: u8) -> Fighter {
    let slot = fighter
        .statuses
        .iter_mut()
        .find(|slot| slot.is_none())
        .unwrap_or_else(|| panic!("no free status slot for {kind:?}"));
    *slot = Some(Status {
        kind,
        magnitude,
        turns_left,
    });
    fighter
}

/// A target that cannot act for the next 50 turns: it neither guards nor charges, so a strike
/// on it is the bare formula.
fn bag(side: u8, hp: u32) -> Fighter {
    with_status(pet(side, hp, hp, 1, 0), StatusKind::Stun, 0, 50)
}

fn sim(seed: u128, fighters: Vec<Fighter>) -> Sim {
    sim_rules(seed, RULES_VERSION, fighters)
}

fn sim_rules(seed: u128, rules: u8, fighters: Vec<Fighter>) -> Sim {
    Sim {
        fighters,
        turn: 1,
        seed: Seed::pcg(seed),
        kit: None,
        outcome: None,
        rules,
    }
}

fn ability(effect: Effect, power_percent: u32, duration_turns: u8) -> AbilitySpec {
    AbilitySpec {
        effect,
        power_percent,
        duration_turns,
    }
}

/// Pets first, the enemy last (its index is `pets.len()`), with the given kit.
fn pve(
    seed: u128,
    pets: Vec<Fighter>,
    foe: Fighter,
    abilities: &[AbilitySpec],
    phases: &[PhaseSpec],
) -> Sim {
    let index = pets.len() as u8;
    let mut fighters = pets;
    fighters.push(foe);
    let mut sim = sim(seed, fighters);
    sim.kit = Some(EnemyKit {
        fighter: index,
        abilities: abilities.to_vec(),
        phases: phases.to_vec(),
        phases_entered: 0,
    });
    sim
}

fn play(sim: &mut Sim, choices: &[Option<Action>]) -> Vec<Hit> {
    let mut log = Vec::new();
    sim.resolve_turn(choices, &mut log);
    log
}

fn m(roll: u32) -> u64 {
    roll_multiplier(roll)
}

/// One `Hit::Strike`, widened for arithmetic.
#[derive(Clone, Copy, Debug)]
struct Strike {
    target: u8,
    roll: u32,
    guard: Option<u8>,
    guard_roll: u32,
    damage: u64,
    parry: u64,
    special: bool,
}

fn strikes(log: &[Hit], by: u8) -> Vec<Strike> {
    log.iter()
        .filter_map(|hit| match *hit {
            Hit::Strike {
                attacker,
                target,
                roll,
                guard,
                guard_roll,
                damage,
                parry,
                special,
            } if attacker == by => Some(Strike {
                target,
                roll: u32::from(roll),
                guard,
                guard_roll: u32::from(guard_roll),
                damage: u64::from(damage),
                parry: u64::from(parry),
                special,
            }),
            _ => None,
        })
        .collect()
}

fn the_strike(log: &[Hit], by: u8) -> Strike {
    match strikes(log, by).as_slice() {
        [one] => *one,
        other => panic!("expected one strike by {by}, got {other:?} in {log:?}"),
    }
}

/// The first seed in `0..SEEDS` for which `found` holds.
fn first_seed(what: &str, mut found: impl FnMut(u128) -> bool) -> u128 {
    (0..SEEDS)
        .find(|seed| found(*seed))
        .unwrap_or_else(|| panic!("no seed below {SEEDS} gives {what}"))
}

fn lost(fighter: &Fighter) -> u64 {
    u64::from(fighter.hp_max - fighter.hp)
}

/// Fighter 0 (`attacker`) strikes the bag (fighter 1) once, on turn 1.
fn strike_the_bag(seed: u128, attacker: Fighter) -> (Sim, Strike) {
    let mut sim = sim(seed, vec![attacker, bag(1, TOUGH)]);
    let log = play(&mut sim, &[Some(Action::Attack { target: 1 }), None]);
    let strike = the_strike(&log, 0);
    (sim, strike)
}

// ------------------------------------------------------------------------------------------
// 1. The roll multiplier: fumbles and criticals
// ------------------------------------------------------------------------------------------

#[test]
fn the_roll_multiplier_misses_on_1_and_doubles_the_top_band_on_20() {
    assert_eq!(m(1), 0, "a natural 1 misses");
    for (rolls, multiplier) in [(2..=7, 2), (8..=13, 3), (14..=19, 4)] {
        for roll in rolls {
            assert_eq!(m(roll), multiplier, "roll {roll}");
        }
    }
    assert_eq!(
        m(20),
        2 * m(19),
        "a natural 20 is twice the best ordinary roll"
    );
}

#[test]
fn an_unguarded_strike_is_attack_times_the_roll_multiplier_on_every_seed() {
    const ATTACK: u32 = 7;
    let mut seen = [false; 21];
    for seed in 0..SEEDS {
        let (sim, strike) = strike_the_bag(seed, pet(0, TOUGH, TOUGH, ATTACK, 0));
        seen[strike.roll as usize] = true;
        let expected = if strike.roll == 1 {
            0
        } else {
            u64::from(ATTACK) * m(strike.roll)
        };
        assert_eq!(strike.damage, expected, "seed {seed}: {strike:?}");
        assert_eq!(strike.guard, None);
        assert_eq!(lost(&sim.fighters[1]), expected, "seed {seed}");
        assert_eq!(sim.fighters[0].damage_dealt, expected);
        assert_eq!(sim.fighters[1].damage_taken, expected);
    }
    assert!(
        seen[1..].iter().all(|s| *s),
        "not every face rolled: {seen:?}"
    );
}

#[test]
fn a_critical_hits_twice_as_hard_as_a_top_band_roll() {
    const ATTACK: u32 = 13;
    let attacker = pet(0, TOUGH, TOUGH, ATTACK, 0);
    let crit = first_seed("a natural 20", |s| strike_the_bag(s, attacker).1.roll == 20);
    let top = first_seed("a roll of 14-19", |s| {
        (14..=19).contains(&strike_the_bag(s, attacker).1.roll)
    });
    let (_, critical) = strike_the_bag(crit, attacker);
    let (_, normal) = strike_the_bag(top, attacker);
    assert_eq!(normal.damage, 4 * u64::from(ATTACK));
    assert_eq!(critical.damage, 8 * u64::from(ATTACK));
    assert_eq!(critical.damage, 2 * normal.damage);
}

#[test]
fn a_critical_ignores_the_guard_while_an_ordinary_roll_meets_it() {
    // The target guards itself with a defense no ordinary hit can beat.
    let fighters = || vec![pet(0, TOUGH, TOUGH, 10, 0), pet(1, TOUGH, TOUGH, 1, 1_000)];
    let choices = [Some(Action::Attack { target: 1 }), None];
    let run = |seed: u128| {
        let mut sim = sim(seed, fighters());
        let log = play(&mut sim, &choices);
        assert!(log.contains(&Hit::Guarding {
            guard: 1,
            target: 1
        }));
        (sim, the_strike(&log, 0))
    };
    let crit = first_seed("a natural 20", |s| run(s).1.roll == 20);
    let (sim, strike) = run(crit);
    assert_eq!(strike.guard, None, "a critical is never guarded");
    assert_eq!(strike.guard_roll, 0);
    assert_eq!(strike.damage, 10 * m(20));
    assert_eq!(strike.parry, 0);
    assert_eq!(lost(&sim.fighters[1]), 10 * m(20));

    let ordinary = first_seed("an ordinary roll met by a guard roll above 1", |s| {
        let strike = run(s).1;
        (2..=19).contains(&strike.roll) && strike.guard_roll > 1
    });
    let (sim, strike) = run(ordinary);
    assert_eq!(strike.guard, Some(1));
    assert_eq!(
        strike.damage, 0,
        "1,000 defense stops any ordinary hit of 10 attack"
    );
    assert!(strike.parry > 0);
    assert_eq!(sim.fighters[1].hp, TOUGH);
}

#[test]
fn a_fumble_deals_nothing_even_to_a_charging_target_and_draws_no_guard_roll() {
    let attacker = pet(0, TOUGH, TOUGH, 50, 0);
    let fumble = first_seed("a natural 1", |s| strike_the_bag(s, attacker).1.roll == 1);

    // Unguarded: nothing, where any other roll deals at least one point.
    let (sim_bag, strike) = strike_the_bag(fumble, attacker);
    assert_eq!(strike.damage, 0);
    assert_eq!(sim_bag.fighters[1].hp, TOUGH);

    // Against a target that charges (which otherwise takes 125 %): still nothing.
    let mut charging = sim(fumble, vec![attacker, pet(1, TOUGH, TOUGH, 1, 0)]);
    let log = play(
        &mut charging,
        &[Some(Action::Attack { target: 1 }), Some(Action::Charge)],
    );
    let strike = the_strike(&log, 0);
    assert_eq!((strike.roll, strike.damage), (1, 0));
    assert_eq!(charging.fighters[1].hp, TOUGH);

    // Against a guard with no defense at all: no guard roll, no damage, no parry.
    let mut guarded = sim(fumble, vec![attacker, pet(1, TOUGH, TOUGH, 1, 0)]);
    let log = play(&mut guarded, &[Some(Action::Attack { target: 1 }), None]);
    let strike = the_strike(&log, 0);
    assert_eq!(strike.roll, 1);
    assert_eq!(strike.guard_roll, 0, "a fumble needs no defense roll");
    assert_eq!((strike.damage, strike.parry), (0, 0));
    assert_eq!(guarded.fighters[0].hp, TOUGH);
    assert_eq!(guarded.fighters[1].hp, TOUGH);
}

// ------------------------------------------------------------------------------------------
// 2. Guards and parries
// ------------------------------------------------------------------------------------------

/// Side 0: fighter 0 (no defense) guarded by fighter 1 (`guard_defense`); side 1: fighter 2
/// strikes fighter 0.
fn teammate_guarded(seed: u128, attack: u32, guard_defense: u32) -> (Sim, Vec<Hit>) {
    let mut sim = sim(
        seed,
        vec![
            pet(0, TOUGH, TOUGH, 1, 0),
            pet(0, TOUGH, TOUGH, 1, guard_defense),
            pet(1, TOUGH, TOUGH, attack, 0),
        ],
    );
    let log = play(
        &mut sim,
        &[
            Some(Action::Defend { guard: 0 }),
            Some(Action::Defend { guard: 0 }),
            Some(Action::Attack { target: 0 }),
        ],
    );
    (sim, log)
}

#[test]
fn a_guard_meets_the_blow_on_its_teammate_who_takes_only_the_excess() {
    const ATTACK: u64 = 100;
    const DEFENSE: u64 = 10;
    let (mut crits, mut fumbles, mut guarded) = (0, 0, 0);
    for seed in 0..SEEDS {
        let (sim, log) = teammate_guarded(seed, ATTACK as u32, DEFENSE as u32);
        assert!(log.contains(&Hit::Guarding {
            guard: 1,
            target: 0
        }));
        let strike = the_strike(&log, 2);
        assert_eq!(strike.target, 0);
        match strike.roll {
            1 => {
                fumbles += 1;
                assert_eq!(strike.guard_roll, 0);
                assert_eq!(strike.damage, 0);
            }
            20 => {
                crits += 1;
                assert_eq!(strike.guard, None);
                assert_eq!(strike.damage, ATTACK * m(20));
            }
            roll => {
                guarded += 1;
                assert_eq!(strike.guard, Some(1), "seed {seed}");
                assert!((1..=20).contains(&strike.guard_roll));
                // Any hit (at least 200) beats any defense (at most 80): the excess lands.
                assert_eq!(
                    strike.damage,
                    ATTACK * m(roll) - DEFENSE * m(strike.guard_roll),
                    "seed {seed}: {strike:?}"
                );
            }
        }
        assert_eq!(strike.parry, 0);
        assert_eq!(
            lost(&sim.fighters[0]),
            strike.damage,
            "the teammate takes it"
        );
        assert_eq!(sim.fighters[1].hp, TOUGH, "the guard itself is never hurt");
        assert_eq!(sim.fighters[2].hp, TOUGH);
    }
    assert!(crits > 0 && fumbles > 0 && guarded > 0);
}

#[test]
fn a_guard_that_out_rolls_the_blow_parries_half_the_margin_back_at_the_attacker() {
    const ATTACK: u64 = 10;
    const DEFENSE: u64 = 100;
    let (mut parries, mut guard_fumbles) = (0, 0);
    for seed in 0..SEEDS {
        let (sim, log) = teammate_guarded(seed, ATTACK as u32, DEFENSE as u32);
        let strike = the_strike(&log, 2);
        if matches!(strike.roll, 1 | 20) {
            continue;
        }
        assert_eq!(strike.guard, Some(1));
        if strike.guard_roll == 1 {
            // The guard fumbles its defense: no defense, the whole hit lands, no parry.
            guard_fumbles += 1;
            assert_eq!(strike.damage, ATTACK * m(strike.roll));
            assert_eq!(strike.parry, 0);
        } else {
            // Defense (at least 200) beats any ordinary hit (at most 40).
            parries += 1;
            let margin = DEFENSE * m(strike.guard_roll) - ATTACK * m(strike.roll);
            assert_eq!(strike.damage, 0, "seed {seed}");
            assert_eq!(strike.parry, margin / 2, "seed {seed}: {strike:?}");
        }
        assert_eq!(
            lost(&sim.fighters[2]),
            strike.parry,
            "the attacker takes the parry"
        );
        assert_eq!(
            sim.fighters[1].damage_dealt, strike.parry,
            "credited to the guard"
        );
        assert_eq!(lost(&sim.fighters[0]), strike.damage);
    }
    assert!(parries > 0 && guard_fumbles > 0);
}

#[test]
fn a_tie_is_a_clean_block_and_a_one_point_margin_still_parries_one() {
    // 10 attack against 10 defense: equal bands make equal values.
    let tie = first_seed("equal bands", |s| {
        let strike = the_strike(&teammate_guarded(s, 10, 10).1, 2);
        !matches!(strike.roll, 1 | 20) && m(strike.roll) == m(strike.guard_roll)
    });
    let (sim, log) = teammate_guarded(tie, 10, 10);
    let strike = the_strike(&log, 2);
    assert_eq!((strike.damage, strike.parry), (0, 0));
    assert_eq!(sim.fighters[0].hp, TOUGH);
    assert_eq!(sim.fighters[2].hp, TOUGH);

    // 10 attack at x2 (20) against 7 defense at x3 (21): half of 1 rounds up to 1.
    let close = first_seed("a 20 against 21", |s| {
        let strike = the_strike(&teammate_guarded(s, 10, 7).1, 2);
        m(strike.roll) == 2 && m(strike.guard_roll) == 3
    });
    let (sim, log) = teammate_guarded(close, 10, 7);
    let strike = the_strike(&log, 2);
    assert_eq!((strike.damage, strike.parry), (0, 1));
    assert_eq!(lost(&sim.fighters[2]), 1);
}

#[test]
fn among_several_guards_the_highest_effective_defense_guards_then_the_lowest_index() {
    let run = |seed: u128, guard_1: Fighter, guard_2: Fighter| {
        let mut sim = sim(
            seed,
            vec![
                pet(0, TOUGH, TOUGH, 1, 5),
                guard_1,
                guard_2,
                pet(1, TOUGH, TOUGH, 10, 0),
            ],
        );
        let defend = Some(Action::Defend { guard: 0 });
        let log = play(
            &mut sim,
            &[defend, defend, defend, Some(Action::Attack { target: 0 })],
        );
        the_strike(&log, 3)
    };
    let plain = |defense| pet(0, TOUGH, TOUGH, 1, defense);
    let seed = first_seed("a roll that is not a critical", |s| {
        run(s, plain(20), plain(50)).roll != 20
    });
    assert_eq!(
        run(seed, plain(20), plain(50)).guard,
        Some(2),
        "50 beats 20 and 5"
    );
    assert_eq!(
        run(seed, plain(50), plain(20)).guard,
        Some(1),
        "order does not matter"
    );
    assert_eq!(
        run(seed, plain(50), plain(50)).guard,
        Some(1),
        "a tie goes to the lower index"
    );
    let armored = with_status(plain(40), StatusKind::ArmorUp, 50, 3);
    assert_eq!(
        run(seed, armored, plain(50)).guard,
        Some(1),
        "40 with ArmorUp +50 % is 60, above 50"
    );
}

#[test]
fn guarding_an_opponent_a_fainted_ally_or_nobody_guards_oneself() {
    let mut sim = sim(
        1,
        vec![
            pet(0, 100, 100, 1, 1),
            pet(0, 0, 100, 1, 1),
            pet(1, 100, 100, 1, 1),
            pet(1, 100, 100, 1, 1),
        ],
    );
    let log = play(
        &mut sim,
        &[
            Some(Action::Defend { guard: 1 }),
            None,
            Some(Action::Defend { guard: 0 }),
            Some(Action::Defend { guard: 42 }),
        ],
    );
    let guarding: Vec<&Hit> = log
        .iter()
        .filter(|hit| matches!(hit, Hit::Guarding { .. }))
        .collect();
    assert_eq!(
        guarding,
        [
            &Hit::Guarding {
                guard: 0,
                target: 0
            },
            &Hit::Guarding {
                guard: 2,
                target: 2
            },
            &Hit::Guarding {
                guard: 3,
                target: 3
            },
        ],
        "the fainted fighter 1 does nothing; everybody else guards itself"
    );
}

#[test]
fn a_player_without_a_choice_defends_itself() {
    let mut sim = sim(1, vec![pet(0, 100, 100, 1, 1), pet(1, 100, 100, 1, 1)]);
    let log = play(&mut sim, &[None]);
    assert_eq!(
        log,
        [
            Hit::Guarding {
                guard: 0,
                target: 0
            },
            Hit::Guarding {
                guard: 1,
                target: 1
            },
        ]
    );
}

// ------------------------------------------------------------------------------------------
// 3. Charge and the faction special
// ------------------------------------------------------------------------------------------

/// The turn every charged strike below lands on, so that all of them roll the same die.
const STRIKE_TURN: u32 = 20;

/// Fighter 0 charges `charges` times, then plays `finisher` against the bag on `STRIKE_TURN`.
fn charge_then(seed: u128, attacker: Fighter, charges: u32, finisher: Action) -> (Sim, Vec<Hit>) {
    let mut sim = sim(seed, vec![attacker, bag(1, TOUGH)]);
    sim.turn = STRIKE_TURN - charges;
    for _ in 0..charges {
        play(&mut sim, &[Some(Action::Charge), None]);
    }
    let log = play(&mut sim, &[Some(finisher), None]);
    (sim, log)
}

fn hits_the_bag(seed: u128) -> bool {
    let attack = Action::Attack { target: 1 };
    the_strike(
        &charge_then(seed, pet(0, TOUGH, TOUGH, 1, 0), 0, attack).1,
        0,
    )
    .roll
        != 1
}

#[test]
fn charging_adds_one_level_per_turn_up_to_the_cap() {
    let mut sim = sim(1, vec![pet(0, TOUGH, TOUGH, 1, 0), bag(1, TOUGH)]);
    for expected in [1, 2, 3, 3, 3] {
        let log = play(&mut sim, &[Some(Action::Charge), None]);
        assert!(
            log.contains(&Hit::Charged {
                fighter: 0,
                charge: expected
            }),
            "{log:?}"
        );
        assert_eq!(sim.fighters[0].charge, expected);
    }
    assert_eq!(CHARGE_MAX, 3);
}

#[test]
fn a_charged_strike_multiplies_by_two_to_the_charge_and_spends_it() {
    const ATTACK: u32 = 9;
    let seed = first_seed("a hit on the strike turn", hits_the_bag);
    let attack = Action::Attack { target: 1 };
    let (_, log) = charge_then(seed, pet(0, TOUGH, TOUGH, ATTACK, 0), 0, attack);
    let plain = the_strike(&log, 0);
    assert_eq!(plain.damage, u64::from(ATTACK) * m(plain.roll));
    // Charging past the cap (4 turns) still gives the cap's multiplier.
    for charges in 1..=4u32 {
        let (sim, log) = charge_then(seed, pet(0, TOUGH, TOUGH, ATTACK, 0), charges, attack);
        let strike = the_strike(&log, 0);
        let level = charges.min(u32::from(CHARGE_MAX));
        assert_eq!(strike.roll, plain.roll, "same seed and turn, same die");
        assert_eq!(strike.damage, plain.damage << level, "{charges} charges");
        assert!(!strike.special);
        assert_eq!(sim.fighters[0].charge, 0, "the strike spends the charge");
        assert_eq!(lost(&sim.fighters[1]), strike.damage);
    }
}

#[test]
fn a_charging_fighter_takes_a_quarter_more_damage() {
    const ATTACK: u32 = 100;
    let run = |seed: u128, target: Fighter, choice: Option<Action>| {
        let mut sim = sim(seed, vec![pet(0, TOUGH, TOUGH, ATTACK, 0), target]);
        let log = play(&mut sim, &[Some(Action::Attack { target: 1 }), choice]);
        (sim, the_strike(&log, 0))
    };
    let seed = first_seed("a hit", |s| run(s, bag(1, TOUGH), None).1.roll != 1);
    let (_, still) = run(seed, bag(1, TOUGH), None);
    let (sim, charging) = run(seed, pet(1, TOUGH, TOUGH, 1, 0), Some(Action::Charge));
    assert_eq!(charging.roll, still.roll);
    assert_eq!(still.damage, u64::from(ATTACK) * m(still.roll));
    assert_eq!(CHARGING_DAMAGE_PERCENT, 125);
    assert_eq!(
        charging.damage * 100,
        still.damage * CHARGING_DAMAGE_PERCENT
    );
    assert_eq!(lost(&sim.fighters[1]), charging.damage);
    assert_eq!(sim.fighters[1].charge, 1);
}

#[test]
fn a_special_without_charge_is_an_ordinary_strike() {
    let seed = first_seed("a hit on the strike turn", hits_the_bag);
    let attacker = of_faction(pet(0, TOUGH, TOUGH, 11, 0), Faction::Decepticon);
    let (_, attack_log) = charge_then(seed, attacker, 0, Action::Attack { target: 1 });
    let (sim, log) = charge_then(seed, attacker, 0, Action::Special { target: 1 });
    let attack = the_strike(&attack_log, 0);
    let special = the_strike(&log, 0);
    assert!(!special.special);
    assert_eq!(special.roll, attack.roll);
    assert_eq!(special.damage, attack.damage);
    assert!(
        !log.iter()
            .any(|hit| matches!(hit, Hit::StatusApplied { .. })),
        "no faction effect without charge: {log:?}"
    );
    assert_eq!(sim.fighters[1].status(StatusKind::Burn), None);
}

#[test]
fn a_charged_special_doubles_the_charged_strike_and_adds_the_faction_effect() {
    const ATTACK: u32 = 11;
    const HP: u32 = 50_000;
    let seed = first_seed("a hit on the strike turn", hits_the_bag);
    for faction in [Faction::Autobot, Faction::Decepticon] {
        let attacker = of_faction(pet(0, HP, HP, ATTACK, 0), faction);
        let (_, plain_log) = charge_then(seed, attacker, 0, Action::Attack { target: 1 });
        let plain = the_strike(&plain_log, 0);
        for charges in 1..=3u32 {
            let (sim, log) = charge_then(seed, attacker, charges, Action::Special { target: 1 });
            let special = the_strike(&log, 0);
            assert!(special.special);
            assert_eq!(special.roll, plain.roll);
            assert_eq!(
                special.damage,
                2 * (plain.damage << charges),
                "{faction:?} {charges}"
            );
            assert_eq!(sim.fighters[0].charge, 0, "the special spends the charge");
            match faction {
                Faction::Autobot => {
                    // A shield of a fifth of the user's health, for 2 turns (one ticked).
                    assert!(log.contains(&Hit::StatusApplied {
                        fighter: 0,
                        kind: StatusKind::Shield,
                        turns: 2
                    }));
                    assert_eq!(
                        sim.fighters[0].status(StatusKind::Shield),
                        Some(Status {
                            kind: StatusKind::Shield,
                            magnitude: HP / 5,
                            turns_left: 1
                        })
                    );
                    assert_eq!(lost(&sim.fighters[1]), special.damage);
                }
                Faction::Decepticon => {
                    // A burn of half the user's attack on the target, for 2 turns; the first
                    // tick is this turn's.
                    let burn = ATTACK / 2;
                    assert!(log.contains(&Hit::StatusApplied {
                        fighter: 1,
                        kind: StatusKind::Burn,
                        turns: 2
                    }));
                    assert!(log.contains(&Hit::Burned {
                        fighter: 1,
                        amount: burn
                    }));
                    assert_eq!(
                        sim.fighters[1].status(StatusKind::Burn),
                        Some(Status {
                            kind: StatusKind::Burn,
                            magnitude: burn,
                            turns_left: 1
                        })
                    );
                    assert_eq!(lost(&sim.fighters[1]), special.damage + u64::from(burn));
                }
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// 4. Statuses and their durations
// ------------------------------------------------------------------------------------------

#[test]
fn every_status_counts_down_once_per_turn_and_is_gone_at_zero() {
    let kinds = [
        (StatusKind::Stun, 0),
        (StatusKind::ArmorUp, 20),
        (StatusKind::Weaken, 20),
        (StatusKind::Burn, 1),
        (StatusKind::Shield, 10),
        (StatusKind::Enrage, 20),
    ];
    for (kind, magnitude) in kinds {
        let carrier = with_status(pet(0, 1_000, 1_000, 1, 1), kind, magnitude, 3);
        let mut sim = sim(1, vec![carrier, pet(1, 1_000, 1_000, 1, 1)]);
        for left in [2, 1] {
            play(&mut sim, &[None, None]);
            assert_eq!(
                sim.fighters[0].status(kind),
                Some(Status {
                    kind,
                    magnitude,
                    turns_left: left
                }),
                "{kind:?}"
            );
        }
        play(&mut sim, &[None, None]);
        assert_eq!(sim.fighters[0].status(kind), None, "{kind:?} after 3 turns");
        assert!(sim.fighters[0].statuses.iter().all(Option::is_none));
    }
}

#[test]
fn a_stunned_fighter_loses_exactly_its_stunned_turns_and_cannot_guard() {
    let stunned = with_status(pet(0, 1_000, 1_000, 1, 1_000), StatusKind::Stun, 0, 2);
    let mut sim = sim(5, vec![stunned, pet(1, TOUGH, TOUGH, 1, 0)]);
    let choices = [
        Some(Action::Attack { target: 1 }),
        Some(Action::Attack { target: 0 }),
    ];
    for turn in 1..=2 {
        let log = play(&mut sim, &choices);
        assert!(log.contains(&Hit::Stunned { fighter: 0 }), "turn {turn}");
        assert!(strikes(&log, 0).is_empty(), "turn {turn}: {log:?}");
        assert_eq!(
            the_strike(&log, 1).guard,
            None,
            "nobody guards a stunned fighter"
        );
    }
    assert_eq!(sim.fighters[0].status(StatusKind::Stun), None);
    let log = play(&mut sim, &choices);
    assert!(!log.contains(&Hit::Stunned { fighter: 0 }));
    assert_eq!(strikes(&log, 0).len(), 1, "acts again on turn 3");
}

#[test]
fn a_burn_takes_its_points_each_turn_until_it_expires() {
    let burning = with_status(pet(0, 100, 100, 1, 1), StatusKind::Burn, 7, 3);
    let mut sim = sim(1, vec![burning, pet(1, 100, 100, 1, 1)]);
    for hp in [93, 86, 79] {
        let log = play(&mut sim, &[None, None]);
        assert!(log.contains(&Hit::Burned {
            fighter: 0,
            amount: 7
        }));
        assert_eq!(sim.fighters[0].hp, hp);
    }
    let log = play(&mut sim, &[None, None]);
    assert!(!log.iter().any(|hit| matches!(hit, Hit::Burned { .. })));
    assert_eq!(sim.fighters[0].hp, 79);
    assert_eq!(sim.fighters[0].damage_taken, 21);
}

#[test]
fn a_burn_takes_no_more_than_what_is_left_and_can_end_the_battle() {
    let burning = with_status(pet(0, 5, 100, 1, 1), StatusKind::Burn, 7, 3);
    let mut sim = sim(1, vec![burning, pet(1, 100, 100, 1, 1)]);
    let log = play(&mut sim, &[None, None]);
    assert!(log.contains(&Hit::Burned {
        fighter: 0,
        amount: 5
    }));
    assert!(log.contains(&Hit::Fainted { fighter: 0 }));
    assert_eq!(sim.fighters[0].damage_taken, 5);
    assert_eq!(sim.outcome, Some(SimOutcome::Won { side: 1 }));
}

#[test]
fn armor_up_raises_the_guards_defense_by_its_percent_while_it_lasts() {
    const ATTACK: u64 = 1_000;
    const DEFENSE: u64 = 100;
    let mut checked = 0;
    for seed in 0..SEEDS {
        let guard = with_status(
            pet(1, TOUGH, TOUGH, 1, DEFENSE as u32),
            StatusKind::ArmorUp,
            50,
            1,
        );
        let mut sim = sim(seed, vec![pet(0, TOUGH, TOUGH, ATTACK as u32, 0), guard]);
        let choices = [Some(Action::Attack { target: 1 }), None];
        // Turn 1 with +50 % (150 defense), turn 2 after it expired (100).
        for defense in [DEFENSE * 150 / 100, DEFENSE] {
            let log = play(&mut sim, &choices);
            let strike = the_strike(&log, 0);
            if matches!(strike.roll, 1 | 20) {
                continue;
            }
            checked += 1;
            // Any ordinary hit (2,000 and up) beats any defense (1,200 at most).
            assert_eq!(
                strike.damage,
                ATTACK * m(strike.roll) - defense * m(strike.guard_roll),
                "seed {seed}, defense {defense}: {strike:?}"
            );
        }
        assert_eq!(sim.fighters[1].status(StatusKind::ArmorUp), None);
    }
    assert!(checked > SEEDS);
}

#[test]
fn weaken_and_enrage_move_attack_by_their_percents_down_to_a_tenth() {
    const ATTACK: u32 = 100;
    let cases: [(&[(StatusKind, u32)], u64); 5] = [
        (&[], 100),
        (&[(StatusKind::Weaken, 30)], 70),
        (&[(StatusKind::Enrage, 50)], 150),
        (&[(StatusKind::Enrage, 50), (StatusKind::Weaken, 30)], 120),
        (&[(StatusKind::Weaken, 95)], 10),
    ];
    for (statuses, effective) in cases {
        let mut attacker = pet(0, TOUGH, TOUGH, ATTACK, 0);
        for (kind, magnitude) in statuses {
            attacker = with_status(attacker, *kind, *magnitude, 5);
        }
        for seed in 0..SEEDS / 4 {
            let (_, strike) = strike_the_bag(seed, attacker);
            let expected = if strike.roll == 1 {
                0
            } else {
                effective * m(strike.roll)
            };
            assert_eq!(strike.damage, expected, "{statuses:?} seed {seed}");
        }
    }
}

#[test]
fn a_shield_absorbs_damage_until_it_is_spent() {
    const ATTACK: u64 = 100;
    const SHIELD: u64 = 250;
    let (mut held, mut broke) = (0, 0);
    for seed in 0..SEEDS {
        let shielded = with_status(bag(1, TOUGH), StatusKind::Shield, SHIELD as u32, 3);
        let mut sim = sim(seed, vec![pet(0, TOUGH, TOUGH, ATTACK as u32, 0), shielded]);
        let log = play(&mut sim, &[Some(Action::Attack { target: 1 }), None]);
        let roll = the_strike(&log, 0).roll;
        let hit = if roll == 1 { 0 } else { ATTACK * m(roll) };
        assert_eq!(
            lost(&sim.fighters[1]),
            hit.saturating_sub(SHIELD),
            "seed {seed}"
        );
        // What the shield took is logged (rules 3), so a shielded hit no longer reads as
        // landing in full; nothing is logged when it took nothing.
        let absorbed: Vec<Hit> = log
            .iter()
            .copied()
            .filter(|h| matches!(h, Hit::Absorbed { .. }))
            .collect();
        let expected = hit.min(SHIELD);
        if expected == 0 {
            assert!(absorbed.is_empty(), "seed {seed}: {absorbed:?}");
        } else {
            assert_eq!(
                absorbed,
                vec![Hit::Absorbed {
                    fighter: 1,
                    amount: expected as u32
                }],
                "seed {seed}"
            );
        }
        // A battle recorded under rules 2 re-simulates to its recorded log: no such line.
        let mut old = sim_rules(
            seed,
            2,
            vec![
                pet(0, TOUGH, TOUGH, ATTACK as u32, 0),
                with_status(bag(1, TOUGH), StatusKind::Shield, SHIELD as u32, 3),
            ],
        );
        let old_log = play(&mut old, &[Some(Action::Attack { target: 1 }), None]);
        assert!(!old_log.iter().any(|h| matches!(h, Hit::Absorbed { .. })));
        assert_eq!(
            old.fighters, sim.fighters,
            "seed {seed}: the numbers are rules 2's"
        );
        let left = SHIELD - hit.min(SHIELD);
        let shield = sim.fighters[1].status(StatusKind::Shield);
        if left == 0 {
            broke += 1;
            assert_eq!(shield, None, "a spent shield is removed");
        } else {
            held += 1;
            assert_eq!(
                shield,
                Some(Status {
                    kind: StatusKind::Shield,
                    magnitude: left as u32,
                    turns_left: 2
                })
            );
        }
    }
    assert!(held > 0 && broke > 0);
}

// ------------------------------------------------------------------------------------------
// 5. Boss phases
// ------------------------------------------------------------------------------------------

fn armor_phase_at(percent: u32) -> ([AbilitySpec; 1], [PhaseSpec; 1]) {
    (
        [ability(Effect::ArmorUp, 50, 3)],
        [PhaseSpec {
            at_hp_percent: percent,
            ability: 0,
        }],
    )
}

fn phases_entered(log: &[Hit]) -> Vec<u8> {
    log.iter()
        .filter_map(|hit| match hit {
            Hit::PhaseEntered { phase } => Some(*phase),
            _ => None,
        })
        .collect()
}

#[test]
fn a_boss_enters_its_phase_at_the_threshold_and_only_once() {
    let (abilities, phases) = armor_phase_at(50);
    for seed in 0..SEEDS / 4 {
        // Above the threshold (51 %): never.
        let foe = enemy(510, 1_000, 1, 0);
        let mut sim = pve(
            seed,
            vec![pet(0, TOUGH, TOUGH, 1, 0)],
            foe,
            &abilities,
            &phases,
        );
        let log = play(&mut sim, &[None]);
        assert!(phases_entered(&log).is_empty(), "seed {seed}: {log:?}");
        assert_eq!(sim.kit.as_ref().map(|k| k.phases_entered), Some(0));

        // At it (50 %): this turn, and never again.
        let foe = enemy(500, 1_000, 1, 0);
        let mut sim = pve(
            seed,
            vec![pet(0, TOUGH, TOUGH, 1, 0)],
            foe,
            &abilities,
            &phases,
        );
        let log = play(&mut sim, &[None]);
        assert_eq!(phases_entered(&log), [0], "seed {seed}");
        assert!(log.contains(&Hit::AbilityUsed {
            user: 1,
            ability: 0
        }));
        assert!(log.contains(&Hit::StatusApplied {
            fighter: 1,
            kind: StatusKind::ArmorUp,
            turns: 3
        }));
        assert_eq!(sim.kit.as_ref().map(|k| k.phases_entered), Some(1));
        for _ in 0..3 {
            let log = play(&mut sim, &[None]);
            assert!(phases_entered(&log).is_empty(), "seed {seed}: {log:?}");
        }
    }
}

#[test]
fn damage_across_the_threshold_opens_the_phase_on_the_next_turn() {
    let (abilities, phases) = armor_phase_at(50);
    let run = |seed: u128| {
        // 51 %; any landed hit of 10 attack (20 or more) takes it under 50 %.
        let foe = enemy(510, 1_000, 1, 0);
        let mut sim = pve(
            seed,
            vec![pet(0, TOUGH, TOUGH, 10, 0)],
            foe,
            &abilities,
            &phases,
        );
        let first = play(&mut sim, &[Some(Action::Attack { target: 1 })]);
        (sim, first)
    };
    let seed = first_seed("a landed hit", |s| the_strike(&run(s).1, 0).damage > 0);
    let (mut sim, first) = run(seed);
    assert!(phases_entered(&first).is_empty());
    assert!(sim.fighters[1].hp < 500, "{first:?}");
    let second = play(&mut sim, &[None]);
    assert_eq!(phases_entered(&second), [0]);
}

#[test]
fn two_phases_crossed_at_once_open_in_order_each_once() {
    let abilities = [
        ability(Effect::ArmorUp, 50, 3),
        ability(Effect::Enrage, 40, 3),
    ];
    let phases = [
        PhaseSpec {
            at_hp_percent: 75,
            ability: 0,
        },
        PhaseSpec {
            at_hp_percent: 25,
            ability: 1,
        },
    ];
    let foe = enemy(200, 1_000, 1, 0);
    let mut sim = pve(
        3,
        vec![pet(0, TOUGH, TOUGH, 1, 0)],
        foe,
        &abilities,
        &phases,
    );
    let log = play(&mut sim, &[None]);
    assert_eq!(phases_entered(&log), [0]);
    assert!(log.contains(&Hit::AbilityUsed {
        user: 1,
        ability: 0
    }));
    let log = play(&mut sim, &[None]);
    assert_eq!(phases_entered(&log), [1]);
    assert!(log.contains(&Hit::AbilityUsed {
        user: 1,
        ability: 1
    }));
    for _ in 0..5 {
        assert!(phases_entered(&play(&mut sim, &[None])).is_empty());
    }
    assert_eq!(sim.kit.as_ref().map(|k| k.phases_entered), Some(2));
}

// ------------------------------------------------------------------------------------------
// 6. The turn limit
// ------------------------------------------------------------------------------------------

/// Two sides that only ever defend: nobody is hurt, so only the turn limit ends it.
fn stalemate(fighters: Vec<Fighter>) -> Sim {
    let mut sim = sim(1, fighters);
    let idle = vec![None; sim.fighters.len()];
    for turn in 1..TURNS_MAX {
        play(&mut sim, &idle);
        assert_eq!(sim.outcome, None, "decided early, after turn {turn}");
    }
    play(&mut sim, &idle);
    assert_eq!(sim.turn, TURNS_MAX + 1);
    sim
}

#[test]
fn a_stalemate_is_judged_after_exactly_turns_max_turns_on_health_left() {
    let sim = stalemate(vec![pet(0, 50, 100, 1, 1), pet(1, 60, 100, 1, 1)]);
    assert_eq!(sim.outcome, Some(SimOutcome::Won { side: 1 }));
    let sim = stalemate(vec![pet(0, 61, 100, 1, 1), pet(1, 60, 100, 1, 1)]);
    assert_eq!(sim.outcome, Some(SimOutcome::Won { side: 0 }));
}

#[test]
fn the_judgement_compares_each_sides_share_of_health_not_points() {
    // 500 of 1,000 (50 %) loses to 60 of 100 (60 %).
    let sim = stalemate(vec![pet(0, 500, 1_000, 1, 1), pet(1, 60, 100, 1, 1)]);
    assert_eq!(sim.outcome, Some(SimOutcome::Won { side: 1 }));
    // A side's share is its summed health over its summed maximum: 90 + 10 of 200 is 50 %,
    // below 55 %, although its best member has 90 %.
    let sim = stalemate(vec![
        pet(0, 90, 100, 1, 1),
        pet(0, 10, 100, 1, 1),
        pet(1, 55, 100, 1, 1),
    ]);
    assert_eq!(sim.outcome, Some(SimOutcome::Won { side: 1 }));
}

#[test]
fn equal_shares_at_the_turn_limit_are_a_draw() {
    let sim = stalemate(vec![pet(0, 30, 60, 1, 1), pet(1, 500, 1_000, 1, 1)]);
    assert_eq!(sim.outcome, Some(SimOutcome::Draw));
    // A third side ahead of both breaks the tie for itself.
    let sim = stalemate(vec![
        pet(0, 30, 60, 1, 1),
        pet(1, 500, 1_000, 1, 1),
        pet(2, 51, 100, 1, 1),
    ]);
    assert_eq!(sim.outcome, Some(SimOutcome::Won { side: 2 }));
}

#[test]
fn a_decided_battle_plays_no_more_turns() {
    let mut sim = stalemate(vec![pet(0, 50, 100, 1, 1), pet(1, 60, 100, 1, 1)]);
    let before = sim.clone();
    let log = play(
        &mut sim,
        &[
            Some(Action::Attack { target: 1 }),
            Some(Action::Attack { target: 0 }),
        ],
    );
    assert!(log.is_empty());
    assert_eq!(sim, before);
}

#[test]
fn fighters_who_knock_each_other_out_in_one_turn_draw() {
    let run = |seed: u128| {
        let mut sim = sim(seed, vec![pet(0, 1, 100, 5, 0), pet(1, 1, 100, 5, 0)]);
        let log = play(
            &mut sim,
            &[
                Some(Action::Attack { target: 1 }),
                Some(Action::Attack { target: 0 }),
            ],
        );
        (sim, log)
    };
    let seed = first_seed("two landed hits", |s| {
        let (_, log) = run(s);
        the_strike(&log, 0).roll != 1 && the_strike(&log, 1).roll != 1
    });
    let (sim, log) = run(seed);
    assert!(log.contains(&Hit::Fainted { fighter: 0 }));
    assert!(log.contains(&Hit::Fainted { fighter: 1 }));
    assert_eq!(sim.outcome, Some(SimOutcome::Draw));
}

// ------------------------------------------------------------------------------------------
// 7. The enemy AI's fixed rules, and enemy abilities
// ------------------------------------------------------------------------------------------

/// What the enemy (fighter `e`) did this turn, from the log.
#[derive(Debug, PartialEq)]
enum EnemyMove {
    Attack,
    Defend,
    Charge,
    Ability(u8),
}

fn enemy_moves(log: &[Hit], e: u8) -> Vec<EnemyMove> {
    let mut moves = Vec::new();
    for hit in log {
        match *hit {
            Hit::Guarding { guard, target } if guard == e => {
                assert_eq!(target, e, "the enemy guards only itself");
                moves.push(EnemyMove::Defend);
            }
            Hit::Charged { fighter, .. } if fighter == e => moves.push(EnemyMove::Charge),
            Hit::AbilityUsed { user, ability } if user == e => {
                moves.push(EnemyMove::Ability(ability))
            }
            _ => {}
        }
    }
    if moves.is_empty() && !strikes(log, e).is_empty() {
        moves.push(EnemyMove::Attack);
    }
    moves
}

/// The enemy's first move against one defending pet.
fn enemy_first_move(seed: u128, foe: Fighter, abilities: Option<&[AbilitySpec]>) -> EnemyMove {
    let pets = vec![pet(0, TOUGH, TOUGH, 1, 0)];
    let mut sim = match abilities {
        Some(abilities) => pve(seed, pets, foe, abilities, &[]),
        None => {
            let mut fighters = pets;
            fighters.push(foe);
            sim(seed, fighters)
        }
    };
    let log = play(&mut sim, &[None]);
    let mut moves = enemy_moves(&log, 1);
    assert_eq!(moves.len(), 1, "one move per turn: {log:?}");
    moves.remove(0)
}

#[test]
fn a_phase_forces_its_ability_in_place_of_any_action_on_every_seed() {
    let abilities = [
        ability(Effect::Enrage, 40, 3),
        ability(Effect::ArmorUp, 50, 2),
    ];
    let phases = [PhaseSpec {
        at_hp_percent: 50,
        ability: 1,
    }];
    for seed in 0..SEEDS {
        let foe = enemy(400, 1_000, 1, 0);
        let mut sim = pve(
            seed,
            vec![pet(0, TOUGH, TOUGH, 1, 0)],
            foe,
            &abilities,
            &phases,
        );
        let log = play(&mut sim, &[None]);
        assert_eq!(enemy_moves(&log, 1), [EnemyMove::Ability(1)], "seed {seed}");
        assert!(strikes(&log, 1).is_empty());
        assert_eq!(phases_entered(&log), [0]);
        assert!(log.contains(&Hit::StatusApplied {
            fighter: 1,
            kind: StatusKind::ArmorUp,
            turns: 2
        }));
    }
}

#[test]
fn an_enemy_holding_two_charges_or_under_a_quarter_health_never_charges() {
    let charged = |charge: u8| {
        let mut foe = enemy(1_000, 1_000, 1, 0);
        foe.charge = charge;
        foe
    };
    // Control: fresh and unhurt, it does charge on some seeds.
    assert!((0..SEEDS).any(|s| enemy_first_move(s, charged(0), None) == EnemyMove::Charge));
    for seed in 0..SEEDS {
        for foe in [charged(2), charged(3), enemy(249, 1_000, 1, 0)] {
            let chosen = enemy_first_move(seed, foe, None);
            assert_ne!(chosen, EnemyMove::Charge, "seed {seed}, {foe:?}");
        }
    }
}

#[test]
fn an_enemy_without_abilities_never_uses_one_and_with_one_uses_that_one() {
    let heal = [ability(Effect::HealSelf, 10, 0)];
    let mut used = 0;
    for seed in 0..SEEDS {
        let foe = enemy(1_000, 1_000, 1, 0);
        assert!(!matches!(
            enemy_first_move(seed, foe, None),
            EnemyMove::Ability(_)
        ));
        assert!(!matches!(
            enemy_first_move(seed, foe, Some(&[])),
            EnemyMove::Ability(_)
        ));
        if let EnemyMove::Ability(index) = enemy_first_move(seed, foe, Some(&heal)) {
            assert_eq!(index, 0);
            used += 1;
        }
    }
    assert!(used > 0, "with an ability it uses it on some seeds");
}

#[test]
fn an_enemy_only_strikes_living_opponents() {
    for seed in 0..SEEDS / 2 {
        let pets = vec![pet(0, 0, 100, 1, 0), pet(0, TOUGH, TOUGH, 1, 0)];
        let mut sim = sim(seed, [pets, vec![enemy(1_000, 1_000, 1, 0)]].concat());
        let log = play(&mut sim, &[None, None]);
        for strike in strikes(&log, 2) {
            assert_eq!(strike.target, 1, "seed {seed}");
        }
    }
}

/// The enemy opens with the ability at index 0 (a phase at 100 % forces it on turn 1) while
/// the pets are stunned; returns the battle and the log.
fn opening_ability(
    seed: u128,
    pets: Vec<Fighter>,
    foe: Fighter,
    spec: AbilitySpec,
) -> (Sim, Vec<Hit>) {
    let phase = PhaseSpec {
        at_hp_percent: 100,
        ability: 0,
    };
    let n = pets.len();
    let mut sim = pve(seed, pets, foe, &[spec], &[phase]);
    let log = play(&mut sim, &vec![None; n]);
    (sim, log)
}

#[test]
fn heal_self_restores_its_percent_of_maximum_health_but_not_beyond() {
    let spec = ability(Effect::HealSelf, 20, 0);
    let phase = [PhaseSpec {
        at_hp_percent: 50,
        ability: 0,
    }];
    let mut sim = pve(
        1,
        vec![bag(0, TOUGH)],
        enemy(500, 1_000, 1, 0),
        &[spec],
        &phase,
    );
    let log = play(&mut sim, &[None]);
    assert!(log.contains(&Hit::Healed {
        fighter: 1,
        amount: 200
    }));
    assert_eq!(sim.fighters[1].hp, 700);

    let (sim, log) = opening_ability(1, vec![bag(0, TOUGH)], enemy(950, 1_000, 1, 0), spec);
    assert!(log.contains(&Hit::Healed {
        fighter: 1,
        amount: 50
    }));
    assert_eq!(sim.fighters[1].hp, 1_000);
}

#[test]
fn heavy_strike_hits_the_opponent_with_the_smallest_share_of_health_at_its_power() {
    const ATTACK: u64 = 100;
    for seed in 0..SEEDS / 4 {
        // Fighter 0 has more points (300) but the smaller share (30 % against 80 %).
        let mut pets = vec![bag(0, 1_000), bag(0, 250)];
        pets[0].hp = 300;
        pets[1].hp = 200;
        let spec = ability(Effect::HeavyStrike, 150, 0);
        let (_, log) = opening_ability(seed, pets, enemy(1_000, 1_000, ATTACK as u32, 0), spec);
        let strike = the_strike(&log, 2);
        assert_eq!(strike.target, 0, "seed {seed}");
        let expected = if strike.roll == 1 {
            0
        } else {
            ATTACK * m(strike.roll) * 150 / 100
        };
        assert_eq!(strike.damage, expected, "seed {seed}");
    }
}

#[test]
fn hit_all_strikes_every_living_opponent_once() {
    let mut pets = vec![bag(0, TOUGH), bag(0, TOUGH), bag(0, TOUGH)];
    pets[1].hp = 0;
    let spec = ability(Effect::HitAll, 60, 0);
    let (_, log) = opening_ability(2, pets, enemy(1_000, 1_000, 50, 0), spec);
    let targets: Vec<u8> = strikes(&log, 3).iter().map(|s| s.target).collect();
    assert_eq!(targets, [0, 2]);
    for strike in strikes(&log, 3) {
        let expected = if strike.roll == 1 {
            0
        } else {
            50 * m(strike.roll) * 60 / 100
        };
        assert_eq!(strike.damage, expected);
    }
}

#[test]
fn weaken_hits_every_opponent_and_is_capped_at_ninety_percent() {
    let spec = ability(Effect::Weaken, 120, 2);
    let (sim, log) = opening_ability(
        1,
        vec![bag(0, TOUGH), bag(0, TOUGH)],
        enemy(1_000, 1_000, 1, 0),
        spec,
    );
    for fighter in [0, 1] {
        assert!(log.contains(&Hit::StatusApplied {
            fighter,
            kind: StatusKind::Weaken,
            turns: 2
        }));
        // Rules 2: a status from an ability lasts its next `duration` turns.
        assert_eq!(
            sim.fighters[usize::from(fighter)].status(StatusKind::Weaken),
            Some(Status {
                kind: StatusKind::Weaken,
                magnitude: 90,
                turns_left: 2
            })
        );
    }
}

#[test]
fn a_burn_ability_burns_the_weakest_for_its_percent_of_the_users_attack() {
    let spec = ability(Effect::Burn, 40, 3);
    let mut pets = vec![bag(0, 1_000), bag(0, 1_000)];
    pets[1].hp = 900;
    let (sim, log) = opening_ability(1, pets, enemy(1_000, 1_000, 55, 0), spec);
    // 40 % of 55 is 22, ticking the turn it lands.
    assert!(log.contains(&Hit::StatusApplied {
        fighter: 1,
        kind: StatusKind::Burn,
        turns: 3
    }));
    assert!(log.contains(&Hit::Burned {
        fighter: 1,
        amount: 22
    }));
    assert_eq!(sim.fighters[1].hp, 878);
    assert_eq!(sim.fighters[0].hp, 1_000);
}

// ------------------------------------------------------------------------------------------
// Rules versions: what rules 2 changed, and rules 1 kept for battles recorded under it
// ------------------------------------------------------------------------------------------

/// A pet that attacks every turn, against an enemy that stuns it for one turn on turn 1 (a
/// phase at 100 % forces the ability); returns how many of turns 2 and 3 the pet struck in.
fn pet_strikes_after_a_one_turn_stun(rules: u8) -> usize {
    let spec = ability(Effect::Stun, 0, 1);
    let phase = PhaseSpec {
        at_hp_percent: 100,
        ability: 0,
    };
    let mut sim = pve(
        3,
        vec![pet(0, TOUGH, TOUGH, 10, 0)],
        enemy(TOUGH, TOUGH, 1, 0),
        &[spec],
        &[phase],
    );
    sim.rules = rules;
    let attack = Some(Action::Attack { target: 1 });
    play(&mut sim, &[attack]);
    (0..2)
        .filter(|_| !strikes(&play(&mut sim, &[attack]), 0).is_empty())
        .count()
}

#[test]
fn a_one_turn_stun_from_an_ability_costs_the_next_turn_under_rules_2_and_nothing_under_1() {
    assert_eq!(pet_strikes_after_a_one_turn_stun(RULES_VERSION), 1);
    // Battles recorded under rules 1 re-simulate as they were played.
    assert_eq!(pet_strikes_after_a_one_turn_stun(1), 2);
}

/// The enemy's charge after a HitAll it made while holding two charges.
fn charge_after_an_ability_strike(rules: u8) -> u8 {
    let spec = ability(Effect::HitAll, 50, 0);
    let phase = PhaseSpec {
        at_hp_percent: 100,
        ability: 0,
    };
    let mut foe = enemy(TOUGH, TOUGH, 10, 0);
    foe.charge = 2;
    let mut sim = pve(5, vec![bag(0, TOUGH)], foe, &[spec], &[phase]);
    sim.rules = rules;
    let log = play(&mut sim, &[None]);
    assert!(!strikes(&log, 1).is_empty(), "the ability struck: {log:?}");
    sim.fighters[1].charge
}

#[test]
fn an_ability_strike_spends_the_enemys_charge_under_rules_2() {
    assert_eq!(charge_after_an_ability_strike(RULES_VERSION), 0);
    assert_eq!(charge_after_an_ability_strike(1), 2);
}

/// How many times a pet hit by a strike and then finished by its burn is logged as fainted.
fn faints_logged_for_a_hit_then_a_fatal_burn(rules: u8) -> usize {
    // Seeds where the enemy's strike lands but leaves the pet standing; the burn (3 points a
    // turn) then takes the rest.
    for seed in 0..SEEDS {
        let target = with_status(bag(0, 40), StatusKind::Burn, 40, 3);
        let mut sim = pve(seed, vec![target], enemy(TOUGH, TOUGH, 1, 0), &[], &[]);
        sim.rules = rules;
        let log = play(&mut sim, &[None]);
        let hit = strikes(&log, 1)
            .iter()
            .any(|s| s.target == 0 && s.damage > 0);
        if hit && sim.fighters[0].hp == 0 {
            return log
                .iter()
                .filter(|h| matches!(h, Hit::Fainted { fighter: 0 }))
                .count();
        }
    }
    panic!("no seed where a strike and then the burn finish the pet")
}

#[test]
fn a_fighter_finished_by_a_burn_after_a_hit_faints_once_in_the_log_under_rules_2() {
    assert_eq!(faints_logged_for_a_hit_then_a_fatal_burn(RULES_VERSION), 1);
    assert_eq!(faints_logged_for_a_hit_then_a_fatal_burn(1), 2);
}
