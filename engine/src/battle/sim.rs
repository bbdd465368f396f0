//! The pure battle simulator: a battle's state and the resolution of one turn.
//!
//! Everything here is integer arithmetic on a small state with no allocation per turn (the turn
//! log goes into a buffer the caller reuses), so it can run millions of turns per second and
//! re-simulate any recorded battle exactly.
//!
//! Tie-breaks and order, all fixed here:
//! - Turns are simultaneous: every fighter alive at the start of a turn acts, damage is summed
//!   and applied at the end, so nobody's action depends on who "went first".
//! - Dice are rolled in fighter index order (players by seat, the enemy last), then status
//!   ticks in fighter index order. The dice of turn `n` come from the battle seed mixed with `n`.
//! - An attack on a target that is gone or on one's own side goes to the first living opponent
//!   by index. Among several guards of one target, the one with the highest defense guards
//!   (then the lowest index).

use serde::{Deserialize, Serialize};

use crate::battle::content::Effect;
use crate::dice::{Dice, Seed};
use crate::ids::PlayerId;
use crate::pets::Faction;

/// Most fighters in one battle (4 against 4).
pub const FIGHTERS_MAX: usize = 8;
/// Most statuses one fighter carries at once; a new one replaces the oldest of the same kind.
pub const STATUSES_MAX: usize = 4;
/// Charge levels: the multiplier is `1 << charge`, so 1, 2, 4, 8.
pub const CHARGE_MAX: u8 = 3;
/// A battle still undecided after this many turns is judged on remaining health.
pub const TURNS_MAX: u32 = 100;
/// Damage a target takes while it charges, in percent.
pub const CHARGING_DAMAGE_PERCENT: u64 = 125;

/// Who a fighter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Who {
    Pet { player: PlayerId, faction: Faction },
    Enemy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum StatusKind {
    Stun,
    ArmorUp,
    Weaken,
    Burn,
    Shield,
    Enrage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Status {
    pub kind: StatusKind,
    /// Percent for ArmorUp, Weaken, Enrage; points for Burn (per turn) and Shield (left).
    pub magnitude: u32,
    pub turns_left: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fighter {
    pub who: Who,
    /// Fighters on the same side are allies; in a free-for-all every fighter has its own side.
    pub side: u8,
    pub level: u32,
    pub hp: u32,
    pub hp_max: u32,
    pub attack: u32,
    pub defense: u32,
    pub charge: u8,
    pub statuses: [Option<Status>; STATUSES_MAX],
    pub surrendered: bool,
    pub damage_dealt: u64,
    pub damage_taken: u64,
}

/// What a fighter does on its turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Action {
    Attack {
        target: u8,
    },
    /// Guard `guard` (oneself or an ally): attacks on it are met with a defense roll.
    Defend {
        guard: u8,
    },
    /// Double the next strike (up to 8 times); take 25 % more damage meanwhile.
    Charge,
    /// A faction move that needs charge: a double strike, plus a shield (Autobot) or a burn on
    /// the target (Decepticon).
    Special {
        target: u8,
    },
}

/// An ability as a battle carries it (copied from content at the start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AbilitySpec {
    pub effect: Effect,
    pub power_percent: u32,
    pub duration_turns: u8,
}

/// A boss phase as a battle carries it: its threshold and the ability (index) it opens with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PhaseSpec {
    pub at_hp_percent: u32,
    pub ability: u8,
}

/// The enemy's side of a PvE battle: its abilities, phases and memory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EnemyKit {
    /// Index of the enemy in `Sim::fighters`.
    pub fighter: u8,
    pub abilities: Vec<AbilitySpec>,
    pub phases: Vec<PhaseSpec>,
    pub phases_entered: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SimOutcome {
    Won { side: u8 },
    Draw,
}

/// One line of a turn's log: what happened, with the rolls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Hit {
    Charged {
        fighter: u8,
        charge: u8,
    },
    Guarding {
        guard: u8,
        target: u8,
    },
    Stunned {
        fighter: u8,
    },
    PhaseEntered {
        phase: u8,
    },
    AbilityUsed {
        user: u8,
        ability: u8,
    },
    /// A strike: the d20 `roll`, the guard and its roll if guarded, the damage of the blow
    /// (before a shield absorbs any of it: the health lost can be less), and parry damage
    /// reflected to the attacker.
    Strike {
        attacker: u8,
        target: u8,
        roll: u8,
        guard: Option<u8>,
        guard_roll: u8,
        damage: u32,
        parry: u32,
        special: bool,
    },
    StatusApplied {
        fighter: u8,
        kind: StatusKind,
        turns: u8,
    },
    Healed {
        fighter: u8,
        amount: u32,
    },
    Burned {
        fighter: u8,
        amount: u32,
    },
    Fainted {
        fighter: u8,
    },
    /// A shield took `amount` of the turn's damage to `fighter` before its health did (rules 3;
    /// earlier rules absorbed the same without a line, so a shielded hit read as landing in full).
    Absorbed {
        fighter: u8,
        amount: u32,
    },
}

/// A battle's whole state between turns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sim {
    pub fighters: Vec<Fighter>,
    /// The turn about to be played, from 1.
    pub turn: u32,
    pub seed: Seed,
    pub kit: Option<EnemyKit>,
    pub outcome: Option<SimOutcome>,
    /// The version of these rules the battle is played under ([`RULES_VERSION`] when it
    /// started; older battles keep the rules they were recorded with, so they re-simulate).
    pub rules: u8,
}

/// The version of the battle rules new battles are played under, recorded in each battle's
/// `Setup` event. A battle without one (recorded before schema 4) is played under version 1.
///
/// - 1: the first rules.
/// - 2: a status an enemy's ability puts on a fighter lasts its full duration (it used to
///   lose a turn, so one-turn stuns did nothing); an ability strike spends the enemy's
///   charge as an attack does; a fighter knocked out by a burn after being hit is logged as
///   fainted once.
/// - 3: what a shield absorbs is logged (`Hit::Absorbed`); the numbers are those of 2.
pub const RULES_VERSION: u8 = 3;

impl Fighter {
    /// The player whose pet this fighter is (`None` for an enemy).
    pub fn player(&self) -> Option<PlayerId> {
        match self.who {
            Who::Pet { player, .. } => Some(player),
            Who::Enemy => None,
        }
    }

    pub fn new(
        who: Who,
        side: u8,
        level: u32,
        hp: u32,
        hp_max: u32,
        attack: u32,
        defense: u32,
    ) -> Fighter {
        Fighter {
            who,
            side,
            level,
            hp: hp.min(hp_max),
            hp_max: hp_max.max(1),
            attack: attack.max(1),
            defense,
            charge: 0,
            statuses: [None; STATUSES_MAX],
            surrendered: false,
            damage_dealt: 0,
            damage_taken: 0,
        }
    }

    pub fn is_alive(&self) -> bool {
        self.hp > 0 && !self.surrendered
    }

    pub fn status(&self, kind: StatusKind) -> Option<Status> {
        self.statuses
            .iter()
            .flatten()
            .find(|status| status.kind == kind)
            .copied()
    }

    fn effective_attack(&self) -> u64 {
        let mut percent: i64 = 100;
        if let Some(enrage) = self.status(StatusKind::Enrage) {
            percent += i64::from(enrage.magnitude);
        }
        if let Some(weaken) = self.status(StatusKind::Weaken) {
            percent -= i64::from(weaken.magnitude);
        }
        (u64::from(self.attack) * percent.max(10) as u64 / 100).max(1)
    }

    fn effective_defense(&self) -> u64 {
        let bonus = self
            .status(StatusKind::ArmorUp)
            .map_or(0, |s| u64::from(s.magnitude));
        u64::from(self.defense) * (100 + bonus) / 100
    }

    fn add_status(&mut self, status: Status) {
        if let Some(slot) = self
            .statuses
            .iter_mut()
            .find(|s| s.is_some_and(|s| s.kind == status.kind))
        {
            *slot = Some(status);
            return;
        }
        if let Some(slot) = self.statuses.iter_mut().find(|s| s.is_none()) {
            *slot = Some(status);
            return;
        }
        self.statuses[0] = Some(status);
    }
}

/// The multiplier a d20 roll gives a stat: a 1 misses, a 20 is a critical.
pub fn roll_multiplier(roll: u32) -> u64 {
    match roll {
        0 | 1 => 0,
        2..=7 => 2,
        8..=13 => 3,
        14..=19 => 4,
        _ => 8,
    }
}

/// The dice for one turn: the battle seed mixed with the turn number.
pub fn turn_dice(seed: Seed, turn: u32) -> Dice {
    let mixed =
        seed.value ^ (u128::from(turn).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
    Dice::from_seed(Seed {
        algorithm: seed.algorithm,
        value: mixed,
    })
}

impl Sim {
    /// Whether fighter `seat` may aim a move at fighter `index`: an attack or a special at a
    /// living fighter of another side (`same_side` false), a guard over a living fighter of its
    /// own side, itself included (`same_side` true). The one rule both the decision and the
    /// move pickers use.
    pub fn may_aim(&self, seat: u8, index: u8, same_side: bool) -> bool {
        let (Some(me), Some(other)) = (
            self.fighters.get(usize::from(seat)),
            self.fighters.get(usize::from(index)),
        ) else {
            return false;
        };
        other.is_alive() && (other.side == me.side) == same_side
    }

    /// The living fighters' sides; the battle is over when at most one side is left.
    fn sides_alive(&self) -> (u8, usize) {
        let mut seen: u16 = 0;
        let mut last = 0;
        for fighter in self.fighters.iter().filter(|f| f.is_alive()) {
            seen |= 1 << fighter.side;
            last = fighter.side;
        }
        (last, seen.count_ones() as usize)
    }

    /// Decides the outcome if the battle is over (or out of turns).
    pub fn judge(&mut self) {
        if self.outcome.is_some() {
            return;
        }
        let (last_side, n_sides) = self.sides_alive();
        self.outcome = match n_sides {
            0 => Some(SimOutcome::Draw),
            1 => Some(SimOutcome::Won { side: last_side }),
            _ if self.turn > TURNS_MAX => Some(self.judge_on_health()),
            _ => None,
        };
    }

    /// At the turn limit: the side with the largest share of its health left wins.
    fn judge_on_health(&self) -> SimOutcome {
        let mut best: Option<(u8, u64)> = None;
        let mut tied = false;
        for side in 0..FIGHTERS_MAX as u8 {
            let (hp, hp_max) = self
                .fighters
                .iter()
                .filter(|f| f.side == side && f.is_alive())
                .fold((0u64, 0u64), |(hp, max), f| {
                    (hp + u64::from(f.hp), max + u64::from(f.hp_max))
                });
            if hp_max == 0 {
                continue;
            }
            let share = hp * 10_000 / hp_max;
            match best {
                Some((_, best_share)) if share == best_share => tied = true,
                Some((_, best_share)) if share < best_share => {}
                _ => {
                    best = Some((side, share));
                    tied = false;
                }
            }
        }
        match best {
            Some((side, _)) if !tied => SimOutcome::Won { side },
            _ => SimOutcome::Draw,
        }
    }

    /// Resolves one turn. `choices[i]` is fighter `i`'s action; `None` for a living player
    /// means "defend yourself" (the timeout default), and is ignored for the enemy, whose
    /// action the AI picks. Appends what happened to `log` and advances `turn`.
    // Fighter indexes are identities here (they appear in the log), so index loops read best.
    #[allow(clippy::needless_range_loop)]
    pub fn resolve_turn(&mut self, choices: &[Option<Action>], log: &mut Vec<Hit>) {
        if self.outcome.is_some() {
            return;
        }
        let mut dice = turn_dice(self.seed, self.turn);
        let n = self.fighters.len();
        let mut actions: [Option<Action>; FIGHTERS_MAX] = [None; FIGHTERS_MAX];
        let mut enemy_ability: Option<(u8, u8)> = None;
        for (i, action) in actions.iter_mut().enumerate().take(n) {
            let fighter = &self.fighters[i];
            if !fighter.is_alive() {
                continue;
            }
            if fighter.status(StatusKind::Stun).is_some() {
                log.push(Hit::Stunned { fighter: i as u8 });
                continue;
            }
            *action = match fighter.who {
                Who::Pet { .. } => Some(
                    choices
                        .get(i)
                        .copied()
                        .flatten()
                        .unwrap_or(Action::Defend { guard: i as u8 }),
                ),
                Who::Enemy => {
                    let (chosen, ability) = self.enemy_choice(i, &mut dice, log);
                    enemy_ability = ability.map(|a| (i as u8, a));
                    chosen
                }
            };
        }

        // Charges and guards take effect before any strike.
        let mut guard_of: [Option<u8>; FIGHTERS_MAX] = [None; FIGHTERS_MAX];
        for i in 0..n {
            match actions[i] {
                Some(Action::Charge) => {
                    let fighter = &mut self.fighters[i];
                    fighter.charge = (fighter.charge + 1).min(CHARGE_MAX);
                    log.push(Hit::Charged {
                        fighter: i as u8,
                        charge: fighter.charge,
                    });
                }
                Some(Action::Defend { guard }) => {
                    let target = self.ally_or_self(i, guard);
                    log.push(Hit::Guarding {
                        guard: i as u8,
                        target: target as u8,
                    });
                    let better = match guard_of[target] {
                        None => true,
                        Some(current) => {
                            self.fighters[i].effective_defense()
                                > self.fighters[current as usize].effective_defense()
                        }
                    };
                    if better {
                        guard_of[target] = Some(i as u8);
                    }
                }
                _ => {}
            }
        }

        let mut damage = [0u64; FIGHTERS_MAX];
        for i in 0..n {
            match actions[i] {
                Some(Action::Attack { target }) => {
                    let target = self.opponent_or_first(i, target);
                    if let Some(target) = target {
                        self.strike(
                            i,
                            target,
                            100,
                            false,
                            &guard_of,
                            &actions,
                            &mut damage,
                            &mut dice,
                            log,
                        );
                    }
                }
                Some(Action::Special { target }) => {
                    let target = self.opponent_or_first(i, target);
                    if let Some(target) = target {
                        let special = self.fighters[i].charge > 0;
                        let percent = if special { 200 } else { 100 };
                        self.strike(
                            i,
                            target,
                            percent,
                            special,
                            &guard_of,
                            &actions,
                            &mut damage,
                            &mut dice,
                            log,
                        );
                        if special {
                            self.special_effect(i, target, log);
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some((user, ability)) = enemy_ability {
            self.use_ability(
                user as usize,
                ability,
                &guard_of,
                &actions,
                &mut damage,
                &mut dice,
                log,
            );
        }

        for i in 0..n {
            if matches!(
                actions[i],
                Some(Action::Attack { .. } | Action::Special { .. })
            ) {
                self.fighters[i].charge = 0;
            }
        }
        for (i, amount) in damage.iter().enumerate().take(n) {
            let absorbed = self.apply_damage(i, *amount);
            if absorbed > 0 && self.rules >= 3 {
                log.push(Hit::Absorbed {
                    fighter: i as u8,
                    amount: clamp_u32(absorbed),
                });
            }
        }
        // A burn that finishes someone off logs their fall while ticking; from rules 2 that
        // fall isn't logged a second time for the strike that hit them first.
        let fainted_ticking = self.tick_statuses(log);
        for (i, fighter) in self.fighters.iter().enumerate() {
            let logged = self.rules >= 2 && fainted_ticking & (1 << i) != 0;
            if fighter.hp == 0 && damage[i] > 0 && !logged {
                log.push(Hit::Fainted { fighter: i as u8 });
            }
        }
        self.turn += 1;
        self.judge();
    }

    fn ally_or_self(&self, i: usize, guard: u8) -> usize {
        let g = guard as usize;
        match self.fighters.get(g) {
            Some(f) if f.side == self.fighters[i].side && f.is_alive() => g,
            _ => i,
        }
    }

    fn opponent_or_first(&self, i: usize, target: u8) -> Option<usize> {
        let side = self.fighters[i].side;
        let t = target as usize;
        if self
            .fighters
            .get(t)
            .is_some_and(|f| f.side != side && f.is_alive())
        {
            return Some(t);
        }
        self.fighters
            .iter()
            .position(|f| f.side != side && f.is_alive())
    }

    #[allow(clippy::too_many_arguments)]
    fn strike(
        &mut self,
        attacker: usize,
        target: usize,
        power_percent: u64,
        special: bool,
        guard_of: &[Option<u8>; FIGHTERS_MAX],
        actions: &[Option<Action>; FIGHTERS_MAX],
        damage: &mut [u64; FIGHTERS_MAX],
        dice: &mut Dice,
        log: &mut Vec<Hit>,
    ) {
        let roll = dice.d20();
        let a = &self.fighters[attacker];
        let value =
            a.effective_attack() * roll_multiplier(roll) * (1u64 << a.charge) * power_percent / 100;
        let guard = guard_of[target].filter(|_| roll != 20);
        let mut guard_roll = 0;
        let mut parry = 0u64;
        let dealt = if roll == 1 {
            0
        } else if let Some(g) = guard {
            guard_roll = dice.d20();
            let defense =
                self.fighters[g as usize].effective_defense() * roll_multiplier(guard_roll);
            if value > defense {
                value - defense
            } else {
                if value < defense && guard_roll != 1 {
                    parry = ((defense - value) / 2).max(1);
                }
                0
            }
        } else if matches!(actions[target], Some(Action::Charge)) {
            value * CHARGING_DAMAGE_PERCENT / 100
        } else {
            value.max(1)
        };
        damage[target] += dealt;
        damage[attacker] += parry;
        self.fighters[attacker].damage_dealt += dealt;
        if let Some(g) = guard {
            self.fighters[g as usize].damage_dealt += parry;
        }
        log.push(Hit::Strike {
            attacker: attacker as u8,
            target: target as u8,
            roll: roll as u8,
            guard,
            guard_roll: guard_roll as u8,
            damage: clamp_u32(dealt),
            parry: clamp_u32(parry),
            special,
        });
    }

    fn special_effect(&mut self, user: usize, target: usize, log: &mut Vec<Hit>) {
        let Who::Pet { faction, .. } = self.fighters[user].who else {
            return;
        };
        let (fighter, status) = match faction {
            Faction::Autobot => (
                user,
                Status {
                    kind: StatusKind::Shield,
                    magnitude: self.fighters[user].hp_max / 5,
                    turns_left: 2,
                },
            ),
            Faction::Decepticon => (
                target,
                Status {
                    kind: StatusKind::Burn,
                    magnitude: (self.fighters[user].attack / 2).max(1),
                    turns_left: 2,
                },
            ),
        };
        self.fighters[fighter].add_status(status);
        log.push(Hit::StatusApplied {
            fighter: fighter as u8,
            kind: status.kind,
            turns: status.turns_left,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn use_ability(
        &mut self,
        user: usize,
        ability: u8,
        guard_of: &[Option<u8>; FIGHTERS_MAX],
        actions: &[Option<Action>; FIGHTERS_MAX],
        damage: &mut [u64; FIGHTERS_MAX],
        dice: &mut Dice,
        log: &mut Vec<Hit>,
    ) {
        let Some(spec) = self
            .kit
            .as_ref()
            .and_then(|kit| kit.abilities.get(usize::from(ability)))
            .copied()
        else {
            return;
        };
        log.push(Hit::AbilityUsed {
            user: user as u8,
            ability,
        });
        let side = self.fighters[user].side;
        let power = u64::from(spec.power_percent);
        let turns = spec.duration_turns.max(1);
        // Statuses tick at the end of the turn they are applied in; from rules 2 a status
        // from an ability gets that tick back, so it lasts its next `turns` turns. (A burn
        // is meant to bite in the turn it lands, as a special's does.)
        let lasting = if self.rules >= 2 {
            turns.saturating_add(1)
        } else {
            turns
        };
        let opponents: [Option<usize>; FIGHTERS_MAX] = {
            let mut list = [None; FIGHTERS_MAX];
            for (slot, (i, _)) in list.iter_mut().zip(
                self.fighters
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.side != side && f.is_alive()),
            ) {
                *slot = Some(i);
            }
            list
        };
        let first_target = self.weakest_opponent(user);
        match spec.effect {
            Effect::HitAll => {
                for target in opponents.into_iter().flatten() {
                    self.strike(
                        user, target, power, false, guard_of, actions, damage, dice, log,
                    );
                }
            }
            Effect::HeavyStrike => {
                if let Some(target) = first_target {
                    self.strike(
                        user, target, power, false, guard_of, actions, damage, dice, log,
                    );
                }
            }
            Effect::Stun | Effect::Burn => {
                if let Some(target) = first_target {
                    let (kind, magnitude) = match spec.effect {
                        Effect::Stun => (StatusKind::Stun, 0),
                        _ => (
                            StatusKind::Burn,
                            clamp_u32((u64::from(self.fighters[user].attack) * power / 100).max(1)),
                        ),
                    };
                    self.fighters[target].add_status(Status {
                        kind,
                        magnitude,
                        turns_left: if kind == StatusKind::Burn {
                            turns
                        } else {
                            lasting
                        },
                    });
                    log.push(Hit::StatusApplied {
                        fighter: target as u8,
                        kind,
                        turns,
                    });
                }
            }
            Effect::Weaken => {
                for target in opponents.into_iter().flatten() {
                    let status = Status {
                        kind: StatusKind::Weaken,
                        magnitude: spec.power_percent.min(90),
                        turns_left: lasting,
                    };
                    self.fighters[target].add_status(status);
                    log.push(Hit::StatusApplied {
                        fighter: target as u8,
                        kind: StatusKind::Weaken,
                        turns,
                    });
                }
            }
            Effect::ArmorUp | Effect::Enrage | Effect::Shield => {
                let (kind, magnitude) = match spec.effect {
                    Effect::ArmorUp => (StatusKind::ArmorUp, spec.power_percent),
                    Effect::Enrage => (StatusKind::Enrage, spec.power_percent),
                    _ => (
                        StatusKind::Shield,
                        clamp_u32(u64::from(self.fighters[user].hp_max) * power / 100),
                    ),
                };
                self.fighters[user].add_status(Status {
                    kind,
                    magnitude,
                    turns_left: lasting,
                });
                log.push(Hit::StatusApplied {
                    fighter: user as u8,
                    kind,
                    turns,
                });
            }
            Effect::HealSelf => {
                let fighter = &mut self.fighters[user];
                let amount = clamp_u32(u64::from(fighter.hp_max) * power / 100)
                    .min(fighter.hp_max - fighter.hp);
                fighter.hp += amount;
                log.push(Hit::Healed {
                    fighter: user as u8,
                    amount,
                });
            }
        }
        // From rules 2 an ability strike spends the charge it used, as an attack does.
        if self.rules >= 2 && matches!(spec.effect, Effect::HitAll | Effect::HeavyStrike) {
            self.fighters[user].charge = 0;
        }
    }

    fn weakest_opponent(&self, user: usize) -> Option<usize> {
        let side = self.fighters[user].side;
        self.fighters
            .iter()
            .enumerate()
            .filter(|(_, f)| f.side != side && f.is_alive())
            .min_by_key(|(i, f)| (u64::from(f.hp) * 10_000 / u64::from(f.hp_max), *i))
            .map(|(i, _)| i)
    }

    /// Takes `amount` from the fighter's shields, then its health; returns what the shields took.
    fn apply_damage(&mut self, i: usize, amount: u64) -> u64 {
        if amount == 0 {
            return 0;
        }
        let fighter = &mut self.fighters[i];
        let mut remaining = amount;
        for status in fighter.statuses.iter_mut() {
            if let Some(shield) = status.as_mut().filter(|s| s.kind == StatusKind::Shield) {
                let absorbed = remaining.min(u64::from(shield.magnitude));
                shield.magnitude -= absorbed as u32;
                remaining -= absorbed;
            }
        }
        let taken = remaining.min(u64::from(fighter.hp));
        fighter.hp -= taken as u32;
        fighter.damage_taken += taken;
        amount - remaining
    }

    /// Ticks every status; returns the fighters (a bit each) a burn knocked out.
    fn tick_statuses(&mut self, log: &mut Vec<Hit>) -> u32 {
        let mut fainted = 0u32;
        for i in 0..self.fighters.len() {
            let fighter = &mut self.fighters[i];
            if !fighter.is_alive() {
                fighter.statuses = [None; STATUSES_MAX];
                continue;
            }
            for slot in fighter.statuses.iter_mut() {
                let Some(status) = slot else { continue };
                if status.kind == StatusKind::Burn {
                    let amount = status.magnitude.min(fighter.hp);
                    fighter.hp -= amount;
                    fighter.damage_taken += u64::from(amount);
                    log.push(Hit::Burned {
                        fighter: i as u8,
                        amount,
                    });
                }
                status.turns_left = status.turns_left.saturating_sub(1);
                if status.turns_left == 0
                    || (status.kind == StatusKind::Shield && status.magnitude == 0)
                {
                    *slot = None;
                }
            }
            if fighter.hp == 0 {
                log.push(Hit::Fainted { fighter: i as u8 });
                fainted |= 1 << i;
            }
        }
        fainted
    }

    /// The enemy AI: weights for attack, defend, charge and ability that adapt to its health,
    /// its charge, the party's health and charges; a phase threshold forces that phase's
    /// ability. Returns the action and, for an ability, its index.
    fn enemy_choice(
        &mut self,
        i: usize,
        dice: &mut Dice,
        log: &mut Vec<Hit>,
    ) -> (Option<Action>, Option<u8>) {
        let me = self.fighters[i];
        let hp_percent = u64::from(me.hp) * 100 / u64::from(me.hp_max);
        if let Some(kit) = self.kit.as_mut() {
            let next = usize::from(kit.phases_entered);
            if let Some(phase) = kit.phases.get(next) {
                if hp_percent <= u64::from(phase.at_hp_percent) {
                    kit.phases_entered += 1;
                    log.push(Hit::PhaseEntered { phase: next as u8 });
                    return (None, Some(phase.ability));
                }
            }
        }
        let n_abilities = self.kit.as_ref().map_or(0, |kit| kit.abilities.len()) as u64;
        let mut weights: [u64; 4] = match hp_percent {
            75.. => [6, 1, 3, 2],
            50..=74 => [5, 3, 2, 3],
            25..=49 => [5, 5, 1, 3],
            _ => [4, 6, 0, 3],
        };
        let opponents = self
            .fighters
            .iter()
            .filter(|f| f.side != me.side && f.is_alive());
        let (mut n_opponents, mut any_charged, mut weakest_percent) = (0, false, 100);
        for f in opponents {
            n_opponents += 1;
            any_charged |= f.charge >= 2;
            weakest_percent = weakest_percent.min(u64::from(f.hp) * 100 / u64::from(f.hp_max));
        }
        if any_charged {
            weights[1] += 3;
        }
        if weakest_percent <= 25 {
            weights[0] += 3;
        }
        if n_opponents == 1 {
            weights[0] += 2;
        }
        if me.charge >= 2 {
            weights[0] += 4;
            weights[2] = 0;
        }
        if n_abilities == 0 {
            weights[3] = 0;
        }
        let target = match self.weakest_opponent(i) {
            Some(weakest) if dice.percent(60) => weakest as u8,
            _ => {
                let alive: u64 = n_opponents;
                let pick = dice.below(alive.max(1));
                self.fighters
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.side != me.side && f.is_alive())
                    .nth(pick as usize)
                    .map_or(0, |(index, _)| index as u8)
            }
        };
        match dice.weighted_index(&weights) {
            Some(1) => (Some(Action::Defend { guard: i as u8 }), None),
            Some(2) => (Some(Action::Charge), None),
            Some(3) => (None, Some(dice.below(n_abilities) as u8)),
            _ => (Some(Action::Attack { target }), None),
        }
    }

    /// A short hash of the whole state (FNV-1a over its encoding), recorded every turn so that a
    /// divergence is found at the first turn it happens.
    pub fn state_hash(&self) -> u64 {
        // The state that turns change, laid out as `Sim` was before it recorded its rules
        // version (bincode encodes a struct as the tuple of its fields): recorded hashes stay
        // valid, and the rules, fixed for a battle's life, are not state.
        let state = (
            &self.fighters,
            self.turn,
            &self.seed,
            &self.kit,
            &self.outcome,
        );
        let bytes = crate::codec::encode_value(&state).unwrap_or_default();
        bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }
}

fn clamp_u32(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
