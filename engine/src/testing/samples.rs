//! One representative value of every stored event variant and every rejection variant, for the
//! pinned encodings in `tests/codec.rs`. Small numbers, short strings: the bytes stay short
//! enough to read. A variant added without a sample here fails that test (it compares these
//! with the variants the JSON Schema of `Event` and `Rejection` lists).

use crate::admin::{AdminEvent, AdminRejection};
use crate::battle::content::{Effect, EnemyKind};
use crate::battle::sim::{AbilitySpec, Action, EnemyKit, Fighter, Hit, PhaseSpec, SimOutcome, Who};
use crate::battle::{
    BattleEvent, BattleId, BattleMode, BattleRejection, ChallengeId, EnemySnapshot, LobbyId,
    LobbyKind,
};
use crate::dice::Seed;
use crate::energon::{EnergonEvent, EnergonRejection, LedgerRule, RushFind};
use crate::fun::combiner::Part;
use crate::fun::games::{Entrant, Happening, HappeningKind};
use crate::fun::{FunEvent, FunRejection, Ladder, ShotOutcome};
use crate::ids::Snowflake;
use crate::ids::{PlayerId, Timestamp};
use crate::market::{MarketEvent, MarketRejection};
use crate::pets::content::{ItemId, Rarity, Slot};
use crate::pets::{
    CareAction, CareLevel, Faction, Intensity, MissionDifficulty, PetEvent, PetRejection,
};
use crate::player::{Engagement, PlayerEvent, PlayerRejection};
use crate::recruit::{FailReason, NationId, RecruitEvent, RecruitRejection, SendId};
use crate::rpg::{
    AdventureKind, AdventureOutcome, Brief, Line, Moment, NarrationSource, Pool, RpgEvent,
    RpgRejection, Seat, SegmentPlan, Stat, Stats,
};
use crate::slots::{Difficulty, SlotsEvent, SlotsRejection};
use crate::social::{Quote, SocialEvent, SocialRejection, SparkFaction, TalkKind};
use crate::trade::{Asset, TradeEvent, TradeId, TradeRejection};
use crate::world::{Event, Rejection};

const P: PlayerId = PlayerId(7);
const Q: PlayerId = PlayerId(8);
const AT: Timestamp = Timestamp(1_000);

fn item() -> ItemId {
    ItemId("i".into())
}

/// One of every stored event variant, area by area, in declaration order.
pub fn every_event() -> Vec<Event> {
    let battle = BattleId(3);
    let lobby = LobbyId(4);
    let challenge = ChallengeId(5);
    let fighter = Fighter::new(
        Who::Pet {
            player: P,
            faction: Faction::Autobot,
        },
        0,
        1,
        10,
        10,
        2,
        1,
    );
    let enemy = Fighter::new(Who::Enemy, 1, 1, 9, 9, 2, 0);
    let mut events = vec![
        Event::Player(PlayerEvent::Joined { player: P }),
        Event::Player(PlayerEvent::Erased {
            player: P,
            wallet: 1,
            bank: 2,
            rush: 3,
        }),
        Event::Player(PlayerEvent::ErasureCancelled {
            player: P,
            confirmation: 9,
        }),
    ];
    events.extend(
        [
            EnergonEvent::Credited {
                player: P,
                amount: 5,
                rule: LedgerRule::TransferIn { from: Q },
            },
            EnergonEvent::Debited {
                player: P,
                amount: 5,
                rule: LedgerRule::RushPrize { round: 2 },
            },
            EnergonEvent::Deposited {
                player: P,
                amount: 5,
            },
            EnergonEvent::Withdrew {
                player: P,
                amount: 5,
            },
            EnergonEvent::RushFound {
                player: P,
                round: 1,
                amount: 5,
                find: RushFind::SearchMajor,
            },
            EnergonEvent::RushLost {
                player: P,
                round: 1,
                amount: 5,
                find: RushFind::SearchDisaster,
            },
            EnergonEvent::RushNothing {
                player: P,
                round: 1,
            },
            EnergonEvent::RushRoundWon {
                round: 1,
                winner: P,
            },
            EnergonEvent::EscrowHeld {
                player: P,
                escrow: 4,
                amount: 5,
            },
            EnergonEvent::EscrowReleased {
                player: P,
                escrow: 4,
                amount: 5,
                refund: true,
            },
            EnergonEvent::RushCooldownSet {
                player: P,
                ready_at: Timestamp(6),
            },
        ]
        .map(Event::Energon),
    );
    events.extend(
        [
            PetEvent::Adopted {
                player: P,
                faction: Faction::Decepticon,
                name_index: 3,
            },
            PetEvent::Renamed { player: P },
            PetEvent::ReleaseRequested {
                player: P,
                token: 42,
                expires_at: AT,
            },
            PetEvent::Released { player: P },
            PetEvent::Cared {
                player: P,
                action: CareAction::Repair,
                level: CareLevel::Standard,
                restored: 4,
                energy_spent: 1,
            },
            PetEvent::Trained {
                player: P,
                intensity: Intensity::Intense,
                energy_spent: 1,
                happiness_spent: 2,
                attack_gain: 3,
                defense_gain: 4,
            },
            PetEvent::MissionEnded {
                player: P,
                difficulty: MissionDifficulty::Average,
                text_index: 2,
                succeeded: true,
                energy_spent: 1,
                happiness_gained: 2,
                happiness_lost: 3,
                maintenance_lost: 4,
            },
            PetEvent::ExperienceGained { player: P, xp: 9 },
            PetEvent::LeveledUp {
                player: P,
                level: 2,
                attack_gain: 1,
                defense_gain: 2,
                energy_max_gain: 3,
                happiness_max_gain: 4,
                maintenance_max_gain: 5,
            },
            PetEvent::ItemFound {
                player: P,
                item: item(),
            },
            PetEvent::Equipped {
                player: P,
                slot: Slot::EnergyCore,
                item: item(),
            },
            PetEvent::Unequipped {
                player: P,
                slot: Slot::UtilityModule,
            },
            PetEvent::Damaged {
                player: P,
                energy_lost: 1,
                happiness_lost: 2,
                maintenance_lost: 3,
            },
            PetEvent::CooldownSet {
                player: P,
                activity: crate::pets::Activity::Care(crate::pets::CareAction::Play),
                ready_at: Timestamp(7),
            },
            PetEvent::Founded {
                player: P,
                foundation: crate::pets::Foundation {
                    attack: 1,
                    defense: 2,
                    energy_max: 3,
                    happiness_max: 4,
                    maintenance_max: 5,
                    decay_intervals_ms: [6, 7, 8],
                },
            },
            PetEvent::ExperienceSet { player: P, xp: 9 },
            PetEvent::VitalsSet {
                player: P,
                energy: 1,
                happiness: 2,
                maintenance: 3,
            },
            PetEvent::ReleaseCancelled { player: P },
            PetEvent::ItemGivenAway {
                player: P,
                item: item(),
                count: 2,
                to: Q,
            },
            PetEvent::ItemReceived {
                player: Q,
                item: item(),
                count: 2,
                from: P,
            },
        ]
        .map(Event::Pet),
    );
    events.push(Event::Slots(SlotsEvent::Spun {
        player: P,
        difficulty: Difficulty::Hard,
        bet: 10,
        reels: [1, 2, 3],
        multiplier: 4,
        payout: 40,
    }));
    events.push(Event::Slots(SlotsEvent::FreeSpinCooldownSet {
        player: P,
        ready_at: Timestamp(10),
    }));
    events.extend(
        [
            BattleEvent::ChallengeIssued {
                challenge,
                challenger: P,
                opponent: Q,
                stake: 5,
                expires_at: AT,
            },
            BattleEvent::ChallengeAccepted { challenge, battle },
            BattleEvent::ChallengeDeclined { challenge },
            BattleEvent::ChallengeExpired { challenge },
            BattleEvent::LobbyOpened {
                lobby,
                creator: P,
                kind: LobbyKind::Team { per_side: 2 },
                stake: 5,
                expires_at: AT,
            },
            BattleEvent::LobbyJoined {
                lobby,
                player: Q,
                side: Some(1),
            },
            BattleEvent::LobbyLeft { lobby, player: Q },
            BattleEvent::LobbyReady {
                lobby,
                player: Q,
                ready: true,
            },
            BattleEvent::LobbyClosed {
                lobby,
                started: true,
            },
            BattleEvent::Started {
                battle,
                mode: BattleMode::Tournament {
                    tournament: lobby,
                    round: 1,
                },
                seed: Seed::pcg(6),
                fighters: vec![fighter, enemy],
                enemy: Some(EnemySnapshot {
                    id: "e".into(),
                    kind: EnemyKind::Boss,
                    rarity: Rarity::Rare,
                    base_hp: 9,
                    kit: EnemyKit {
                        fighter: 1,
                        abilities: vec![AbilitySpec {
                            effect: Effect::Stun,
                            power_percent: 50,
                            duration_turns: 1,
                        }],
                        phases: vec![PhaseSpec {
                            at_hp_percent: 50,
                            ability: 0,
                        }],
                        phases_entered: 0,
                    },
                }),
                content_version: [1; 32],
                rated: false,
                stake: 0,
                deadline: AT,
            },
            BattleEvent::ActionChosen {
                battle,
                turn: 1,
                fighter: 0,
                action: Action::Special { target: 1 },
            },
            BattleEvent::TurnResolved {
                battle,
                turn: 1,
                log: vec![
                    Hit::Strike {
                        attacker: 0,
                        target: 1,
                        roll: 12,
                        guard: Some(1),
                        guard_roll: 3,
                        damage: 4,
                        parry: 1,
                        special: true,
                    },
                    Hit::Fainted { fighter: 1 },
                ],
                timed_out: vec![1],
                state_hash: 0x0102_0304_0506_0708,
                deadline: AT,
            },
            BattleEvent::Surrendered { battle, fighter: 0 },
            BattleEvent::Ended {
                battle,
                outcome: SimOutcome::Won { side: 0 },
                turns: 1,
                seed: Seed::pcg(6),
            },
            BattleEvent::RatingChanged {
                player: P,
                opponent: Q,
                battle,
                before: 1_000,
                after: 1_040,
            },
            BattleEvent::Queued { player: P },
            BattleEvent::Unqueued { player: P },
            BattleEvent::TournamentStarted {
                tournament: lobby,
                players: vec![P, Q],
            },
            BattleEvent::TournamentMatchWon {
                tournament: lobby,
                round: 1,
                winner: P,
                battle,
            },
            BattleEvent::TournamentWon {
                tournament: lobby,
                winner: P,
            },
            BattleEvent::Setup {
                battle,
                worn: vec![vec![item()], Vec::new()],
                rules: 2,
            },
            BattleEvent::TournamentCancelled {
                tournament: lobby,
                round: 2,
            },
        ]
        .map(Event::Battle),
    );
    let (send, nation) = (SendId(2), NationId(40));
    events.extend(
        [
            RecruitEvent::Attempted {
                send,
                nation,
                template: 3,
                leader: P,
            },
            RecruitEvent::Confirmed { send, nation },
            RecruitEvent::Failed {
                send,
                nation,
                reason: FailReason::RateLimited,
            },
        ]
        .map(Event::Recruit),
    );
    events.push(Event::Admin(AdminEvent::LogsCleared { before: AT }));
    events.extend(
        [
            MarketEvent::Opened { price: 100, at: AT },
            MarketEvent::Ticked {
                number: 1,
                at: AT,
                price: 101,
                walk_bp: -3,
                shock_bp: 4,
                volume: 5,
            },
            MarketEvent::TicksMissed { from: 2, count: 3 },
            MarketEvent::NewsStarted {
                tick: 1,
                bucket: "b".into(),
                line: 2,
                multiplier_bp: 3,
                ticks: 4,
            },
            MarketEvent::NewsEnded { tick: 5 },
            MarketEvent::HolidayStarted {
                tick: 1,
                holiday: "h".into(),
                surge: true,
                line: 2,
                multiplier_bp: 3,
            },
            MarketEvent::HolidayEnded { tick: 4 },
            MarketEvent::Bought {
                player: P,
                coins: 1,
                paid: 2,
                fee: 3,
                price: 4,
            },
            MarketEvent::Sold {
                player: P,
                coins: 1,
                received: 2,
                fee: 3,
                price: 4,
            },
        ]
        .map(Event::Market),
    );
    let trade = TradeId(6);
    events.extend(
        [
            TradeEvent::Opened {
                trade,
                by: P,
                with: Q,
                expires_at: AT,
            },
            TradeEvent::Added {
                trade,
                player: P,
                asset: Asset::Energon,
                amount: 5,
            },
            TradeEvent::Removed {
                trade,
                player: Q,
                asset: Asset::Item(item()),
                amount: 1,
            },
            TradeEvent::Confirmed {
                trade,
                player: P,
                revision: 2,
            },
            TradeEvent::Completed { trade },
            TradeEvent::Cancelled { trade, by: Q },
            TradeEvent::Expired { trade },
            TradeEvent::Withdrawn { trade, player: P },
        ]
        .map(Event::Trade),
    );
    // Schema 11: the import from the original bot.
    events.push(Event::Player(PlayerEvent::Imported {
        player: P,
        source: 7,
    }));
    events.push(Event::Pet(PetEvent::Imported {
        player: P,
        name_index: 2,
        pet: crate::pets::LegacyPet {
            faction: Faction::Decepticon,
            level: 3,
            xp: 4,
            attack: 5,
            defense: 6,
            energy: 7,
            happiness: 8,
            maintenance: 9,
            energy_max: 10,
            happiness_max: 11,
            maintenance_max: 12,
            equipment: [(Slot::ChassisPlating, ItemId("plating.a".into()))].into(),
            inventory: [(ItemId("core.b".into()), 2)].into(),
            missions_succeeded: 1,
            missions_failed: 2,
        },
        decay_intervals_ms: [1, 2, 3],
    }));
    events.push(Event::Slots(SlotsEvent::Imported {
        player: P,
        record: crate::slots::LegacySlots {
            spins: 5,
            wins: 2,
            losses: 3,
            jackpots: 1,
            payout_total: 40,
            highest_bet: 10,
            highest_payout: 30,
            spins_by_difficulty: [(Difficulty::Hard, 5)].into(),
        },
    }));
    events.push(Event::Market(MarketEvent::Imported {
        player: P,
        coins: 3,
        basis: 4,
    }));
    // Schema 12: coins in player trades (`Asset::Coins` is pinned in `tests/codec.rs`).
    events.extend(
        [
            MarketEvent::GaveAway {
                player: P,
                coins: 3,
                basis: 4,
                to: Q,
            },
            MarketEvent::Received {
                player: Q,
                coins: 3,
                basis: 4,
                from: P,
            },
        ]
        .map(Event::Market),
    );
    // Schema 13: the social area.
    events.extend(
        [
            SocialEvent::Told {
                player: P,
                kind: TalkKind::Roast,
                pool: "p".into(),
                style: Some("s".into()),
                line: 3,
                about: Some(Q),
            },
            SocialEvent::SparkForged {
                player: P,
                name: "n".into(),
                faction: SparkFaction::Maverick,
                class: "c".into(),
                epithet: "e".into(),
                motto: "m".into(),
                reforge_at: AT,
            },
            SocialEvent::QuizTaken {
                player: P,
                answers: vec![0, 1],
                faction: SparkFaction::Decepticon,
            },
        ]
        .map(Event::Social),
    );
    // Schema 14: the fun area.
    events.extend(
        [
            FunEvent::Greeted {
                player: P,
                ladder: Ladder::Ping,
                level: 2,
                line: 3,
            },
            FunEvent::Grumped {
                player: P,
                target: Q,
                line: 4,
                player_ready_at: AT,
                target_ready_at: AT,
            },
            FunEvent::GrumpOptOutSet {
                player: Q,
                out: true,
            },
        ]
        .map(Event::Fun),
    );
    // Schema 15: lore, quiz roles, word counting.
    events.extend(
        [
            SocialEvent::LoreAdded {
                guild: Snowflake(7),
                number: 1,
                author: P,
                title_key: 0x0102,
                quote: Some(Quote {
                    author: Q,
                    channel: Snowflake(8),
                    message: Snowflake(9),
                }),
            },
            SocialEvent::LoreDeleted {
                guild: Snowflake(7),
                number: 1,
                by: Q,
            },
            SocialEvent::QuizRoleMapped {
                guild: Snowflake(7),
                faction: SparkFaction::Autobot,
                role: Some(Snowflake(11)),
                by: P,
            },
            SocialEvent::QuizRoleRequested {
                request: 0x11,
                guild: Snowflake(7),
                player: P,
                role: Snowflake(11),
                remove: vec![Snowflake(12), Snowflake(13)],
            },
            SocialEvent::QuizRoleSettled {
                request: 0x11,
                player: P,
                granted: false,
                reason: Some("r".into()),
            },
            SocialEvent::WordsCounting {
                player: P,
                on: true,
            },
        ]
        .map(Event::Social),
    );
    // Schema 16: the shooting range.
    events.extend(
        [
            FunEvent::RangeStarted {
                player: P,
                session: 1,
                rounds: 5,
            },
            FunEvent::RangeRoundShown {
                player: P,
                round: 1,
                target: 3,
                shown_at: AT,
            },
            FunEvent::RangeShot {
                player: P,
                round: 1,
                button: 3,
                reaction_ms: 412,
                outcome: ShotOutcome::Late,
            },
            FunEvent::RangeEnded {
                player: P,
                session: 1,
                rounds: 5,
                hits: 1,
                unpressed: 2,
                rank: 0,
                record: true,
            },
        ]
        .map(Event::Fun),
    );
    // Schema 17: trivia.
    events.extend(
        [
            FunEvent::TriviaStarted {
                channel: Snowflake(8),
                host: P,
                category: Some("c".into()),
                questions: 10,
            },
            FunEvent::TriviaAsked {
                channel: Snowflake(8),
                number: 1,
                question: 42,
                closes_at: AT,
            },
            FunEvent::TriviaAnswered {
                channel: Snowflake(8),
                number: 1,
                player: Q,
                choice: 2,
                correct: true,
            },
            FunEvent::TriviaTimedOut {
                channel: Snowflake(8),
                number: 2,
            },
            FunEvent::TriviaEnded {
                channel: Snowflake(8),
                stopped_by: Some(P),
            },
        ]
        .map(Event::Fun),
    );
    // Schema 18: WalkTru.
    events.extend(
        [
            FunEvent::WalkStarted {
                player: P,
                story: "s".into(),
                stage: "a".into(),
                meter: 10,
            },
            FunEvent::WalkStepped {
                player: P,
                story: "s".into(),
                from: "a".into(),
                choice: 1,
                roll: 42,
                success: true,
                total_failure: false,
                meter: -5,
                next: "b".into(),
            },
            FunEvent::WalkEnded {
                player: P,
                story: "s".into(),
                ending: "e".into(),
            },
            FunEvent::WalkAbandoned {
                player: P,
                story: "s".into(),
            },
        ]
        .map(Event::Fun),
    );
    // Schema 19: combiner teams.
    events.extend(
        [
            FunEvent::CombinerOpened {
                team: 1,
                founder: P,
                expires_at: AT,
            },
            FunEvent::CombinerJoined {
                team: 1,
                player: Q,
                part: Part::Head,
            },
            FunEvent::CombinerFormed {
                team: 1,
                prefix: 2,
                suffix: 3,
            },
            FunEvent::CombinerLeft { team: 1, player: Q },
            FunEvent::CombinerDisbanded { team: 1, by: P },
            FunEvent::CombinerExpired { team: 2 },
        ]
        .map(Event::Fun),
    );
    // Schema 20: Cybertron Games.
    events.extend(
        [
            FunEvent::GamesOpened {
                game: 1,
                creator: P,
                channel: Snowflake(8),
                named: vec![Q],
                drones: 10,
                factions: 2,
                districts: 3,
            },
            FunEvent::GamesJoined { game: 1, player: P },
            FunEvent::GamesStarted {
                game: 1,
                seed: Seed::pcg(5),
                entrants: vec![Entrant::Player(Q), Entrant::Drone(4)],
            },
            FunEvent::GamesRound {
                game: 1,
                round: 1,
                happenings: vec![Happening {
                    kind: HappeningKind::Elimination,
                    template: 2,
                    a: vec![0],
                    b: vec![1],
                    place: 3,
                    weapon: 4,
                    giant: 5,
                }],
            },
            FunEvent::GamesEnded { game: 1 },
        ]
        .map(Event::Fun),
    );
    // Schema 21: the RPG.
    let stats = Stats {
        attack: 1,
        defense: 2,
        dexterity: 3,
        intelligence: 4,
        charisma: 5,
        hp: 6,
    };
    let plan = SegmentPlan::Event {
        challenge: "c".into(),
        class: 9,
    };
    events.extend(
        [
            RpgEvent::CharacterCreated {
                player: P,
                character: 1,
                faction: Faction::Autobot,
                class: "w".into(),
                stats,
            },
            RpgEvent::Equipped {
                player: P,
                character: 1,
                item: "g".into(),
            },
            RpgEvent::Unequipped {
                player: P,
                character: 1,
                item: "g".into(),
            },
            RpgEvent::KillRequested {
                player: P,
                character: 1,
                expires_at: AT,
            },
            RpgEvent::KillCancelled {
                player: P,
                character: 1,
            },
            RpgEvent::CharacterKilled {
                player: P,
                character: 1,
            },
            RpgEvent::ExperienceGained {
                player: P,
                character: 1,
                amount: 2,
            },
            RpgEvent::LeveledUp {
                player: P,
                character: 1,
                level: 2,
                gains: stats,
            },
            RpgEvent::GearFound {
                player: P,
                character: 1,
                item: "g".into(),
            },
            RpgEvent::PartyOpened {
                adventure: 1,
                kind: AdventureKind::Event,
                creator: P,
                character: 1,
                channel: Snowflake(3),
                expires_at: AT,
            },
            RpgEvent::PartyJoined {
                adventure: 1,
                player: Q,
                character: 2,
            },
            RpgEvent::PartyLeft {
                adventure: 1,
                player: Q,
            },
            RpgEvent::AdventureStarted {
                adventure: 1,
                place: "p".into(),
                segments: 3,
            },
            RpgEvent::PartyDisbanded { adventure: 1 },
            RpgEvent::SegmentOpened {
                adventure: 1,
                segment: 0,
                plan: plan.clone(),
                deadline: AT,
            },
            RpgEvent::NarrationRequested {
                adventure: 1,
                segment: 0,
                brief: Brief {
                    kind: AdventureKind::Event,
                    segment: 0,
                    place: "p".into(),
                    plan,
                    seats: vec![Seat {
                        class: "w".into(),
                        faction: Faction::Decepticon,
                        level: 1,
                    }],
                    moments: vec![Moment::Battle {
                        enemy: "e".into(),
                        won: true,
                    }],
                    lines: vec![Line {
                        pool: Pool::Opening,
                        index: 2,
                    }],
                },
            },
            RpgEvent::Narrated {
                adventure: 1,
                segment: 0,
                text: "t".into(),
                source: NarrationSource::Offline,
            },
            RpgEvent::ApproachChosen {
                adventure: 1,
                segment: 0,
                by: Some(P),
                stat: Stat::Charisma,
            },
            RpgEvent::Rolled {
                adventure: 1,
                segment: 0,
                player: P,
                character: 1,
                roll: 12,
                bonus: 4,
                class: 15,
                success: true,
            },
            RpgEvent::ChallengeResolved {
                adventure: 1,
                segment: 0,
                success: true,
                closing: 3,
            },
            RpgEvent::Voted {
                adventure: 1,
                segment: 1,
                player: P,
                choice: 2,
            },
            RpgEvent::VoteClosed {
                adventure: 1,
                segment: 1,
                choice: 2,
                counts: [0, 1, 2],
                tie_broken: false,
                closing: 4,
            },
            RpgEvent::BattleResolved {
                adventure: 1,
                segment: 2,
                battle: BattleId(5),
                won: false,
                line: 1,
            },
            RpgEvent::MemberWithdrawn {
                adventure: 1,
                player: Q,
            },
            RpgEvent::AdventureEnded {
                adventure: 1,
                outcome: AdventureOutcome::Defeated,
            },
        ]
        .map(Event::Rpg),
    );
    // Schema 22: a character imported from the original bot.
    events.push(Event::Rpg(RpgEvent::CharacterImported {
        player: P,
        character: 2,
        faction: Faction::Decepticon,
        class: "c".into(),
        level: 3,
        xp: 450,
        stats,
        record: crate::rpg::Record {
            battles_won: 1,
            ..crate::rpg::Record::default()
        },
        energon_earned: 9,
    }));
    // Schema 22: a mega-fight, and the district sorter.
    events.extend(
        [
            FunEvent::MegaChallenged {
                challenger: 1,
                defender: 2,
                by: P,
            },
            FunEvent::MegaDeclined {
                challenger: 1,
                defender: 2,
                by: Q,
            },
            FunEvent::MegaFightStarted {
                battle: BattleId(3),
                teams: [1, 2],
                members: [vec![P], vec![Q]],
            },
            FunEvent::MegaFightEnded {
                battle: BattleId(3),
                teams: [1, 2],
                winner: Some(1),
                paid: vec![P],
            },
            FunEvent::DistrictsSorted {
                by: P,
                districts: vec![vec![P], vec![Q]],
            },
            FunEvent::GamesRoleSet {
                game: 1,
                role: Snowflake(9),
            },
            FunEvent::GamesNarrated {
                game: 1,
                round: 2,
                text: "{c0} runs".into(),
            },
        ]
        .map(Event::Fun),
    );
    // Schema 22: a model's roast.
    events.push(Event::Social(SocialEvent::ToldByModel {
        player: P,
        kind: TalkKind::Compliment,
        pool: Some("p".into()),
        style: None,
        about: Q,
        text: "{target} shines".into(),
    }));
    events
}

/// One of every rejection variant, area by area, in declaration order.
pub fn every_rejection() -> Vec<Rejection> {
    let mut rejections: Vec<Rejection> = [
        PlayerRejection::ActorMustBePlayer,
        PlayerRejection::OperatorOnly,
        PlayerRejection::UnknownPlayer { player: P },
        PlayerRejection::Busy {
            player: P,
            activity: Engagement::Tournament,
        },
        PlayerRejection::ErasureCancelled,
    ]
    .map(Rejection::Player)
    .into();
    rejections.extend(
        [
            EnergonRejection::OperatorOnly,
            EnergonRejection::SenderMustBePlayer,
            EnergonRejection::AmountNotPositive { amount: -3 },
            EnergonRejection::AmountTooLarge { max: 100 },
            EnergonRejection::SelfTransfer,
            EnergonRejection::UnknownPlayer { player: P },
            EnergonRejection::InsufficientEnergon { need: 5, have: 2 },
            EnergonRejection::BalanceTooLarge,
            EnergonRejection::InsufficientBank { need: 5, have: 2 },
            EnergonRejection::ForageOnCooldown { ready_at: AT },
            EnergonRejection::PlayersOnly,
        ]
        .map(Rejection::Energon),
    );
    rejections.extend(
        [
            PetRejection::OperatorOnly,
            PetRejection::PlayersOnly,
            PetRejection::NoPet,
            PetRejection::PlayerHasNoPet { player: Q },
            PetRejection::AlreadyHasPet,
            PetRejection::NameInvalid { max: 32 },
            PetRejection::UnknownItem { item: item() },
            PetRejection::WrongSlot {
                item: item(),
                item_slot_label: "a".into(),
                slot_label: "b".into(),
            },
            PetRejection::NotInInventory { item: item() },
            PetRejection::SlotEmpty {
                slot_label: "b".into(),
            },
            PetRejection::NoReleasePending,
            PetRejection::ReleaseTokenMismatch,
            PetRejection::ReleaseExpired,
            PetRejection::OnCooldown { ready_at: AT },
            PetRejection::AlreadyFull {
                resource: "r".into(),
            },
            PetRejection::NotEnoughEnergy { need: 5, have: 2 },
            PetRejection::NotEnoughHappiness { need: 5, have: 2 },
            PetRejection::Engaged {
                activity: Engagement::Battle,
            },
            PetRejection::BeyondCapacity {
                resource: crate::pets::Resource::Energy,
                need: 150,
                max: 100,
                at_level: Some(8),
            },
            PetRejection::OnOffer { item: item() },
        ]
        .map(Rejection::Pet),
    );
    rejections.extend(
        [
            SlotsRejection::PlayersOnly,
            SlotsRejection::BetTooSmall { min: 1 },
            SlotsRejection::BetTooLarge { max: 100 },
            SlotsRejection::FreeSpinOnCooldown { ready_at: AT },
        ]
        .map(Rejection::Slots),
    );
    rejections.extend(
        [
            BattleRejection::PlayersOnly,
            BattleRejection::OperatorOnly,
            BattleRejection::UnknownEnemy { enemy: "e".into() },
            BattleRejection::UnknownLobby,
            BattleRejection::UnknownChallenge,
            BattleRejection::UnknownBattle,
            BattleRejection::NotAParticipant,
            BattleRejection::NotInLobby,
            BattleRejection::NotLobbyCreator,
            BattleRejection::ChallengeNotForYou,
            BattleRejection::AlreadyInLobby,
            BattleRejection::AlreadyQueued,
            BattleRejection::NotQueued,
            BattleRejection::StaleTurn {
                sent: 1,
                current: 2,
            },
            BattleRejection::AlreadyActed,
            BattleRejection::FighterDown,
            BattleRejection::TooEarly { deadline: AT },
            BattleRejection::ChallengeExpired,
            BattleRejection::InvalidTarget,
            BattleRejection::SpecialNeedsCharge,
            BattleRejection::CannotChallengeSelf,
            BattleRejection::LobbyFull,
            BattleRejection::InvalidSide { side: 3 },
            BattleRejection::SideFull { side: 1 },
            BattleRejection::InvalidLobby { reason: "r".into() },
            BattleRejection::StakeNotAllowed,
            BattleRejection::StakeOutOfRange { max: 100 },
            BattleRejection::NotAllReady,
            BattleRejection::NotEnoughPlayers { need: 4, have: 2 },
            BattleRejection::PetTooWeak,
            BattleRejection::AlreadyInBattle,
            BattleRejection::OpponentBusy { player: Q },
            BattleRejection::CannotCoverStake {
                player: Q,
                need: 5,
                have: 2,
            },
            BattleRejection::InTournament,
            BattleRejection::OnAdventure,
        ]
        .map(Rejection::Battle),
    );
    let (send, nation) = (SendId(2), NationId(40));
    rejections.extend(
        [
            RecruitRejection::NotAllowed,
            RecruitRejection::Excluded { nation },
            RecruitRejection::NationOnCooldown {
                nation,
                ready_at: AT,
            },
            RecruitRejection::NoTemplateAvailable {
                nation,
                ready_at: AT,
            },
            RecruitRejection::UnknownSend { send },
            RecruitRejection::AlreadySettled { send },
        ]
        .map(Rejection::Recruit),
    );
    rejections.extend(
        [
            AdminRejection::NotAllowed,
            AdminRejection::KeepTooLong { max: 9 },
        ]
        .map(Rejection::Admin),
    );
    rejections.extend(
        [
            MarketRejection::PlayersOnly,
            MarketRejection::SystemOnly,
            MarketRejection::NotOpen,
            MarketRejection::TickOutOfOrder {
                expected: 1,
                got: 2,
            },
            MarketRejection::TickAhead { at: AT },
            MarketRejection::OrderTooSmall { min: 10 },
            MarketRejection::NothingToSell,
            MarketRejection::InsufficientCoins { need: 2, have: 1 },
            MarketRejection::WorthLessThanFee,
        ]
        .map(Rejection::Market),
    );
    rejections.extend(
        [
            TradeRejection::PlayersOnly,
            TradeRejection::SelfTrade,
            TradeRejection::UnknownPlayer { player: Q },
            TradeRejection::AlreadyTrading {
                with: Q,
                trade: TradeId(6),
            },
            TradeRejection::TooManyOpen { max: 5 },
            TradeRejection::NoSuchTrade,
            TradeRejection::NotAParty,
            TradeRejection::Expired,
            TradeRejection::TooEarly { expires_at: AT },
            TradeRejection::ZeroAmount,
            TradeRejection::UnknownItem { item: item() },
            TradeRejection::NoPet,
            TradeRejection::PartnerHasNoPet { player: Q },
            TradeRejection::OfferFull { max: 10 },
            TradeRejection::NotOnOffer {
                asset: Asset::Energon,
                offered: 3,
            },
            TradeRejection::NotEnough {
                asset: Asset::Item(item()),
                need: 2,
                available: 1,
            },
            TradeRejection::StaleOffer { revision: 4 },
            TradeRejection::AlreadyConfirmed,
            TradeRejection::NothingOnOffer,
            TradeRejection::NoLongerHeld {
                player: Q,
                asset: Asset::Energon,
                need: 5,
            },
        ]
        .map(Rejection::Trade),
    );
    // Schema 11.
    rejections.extend(
        [
            PlayerRejection::AlreadyHere { player: P },
            PlayerRejection::ImportInvalid { what: "w".into() },
        ]
        .map(Rejection::Player),
    );
    // Schema 12.
    rejections.push(Rejection::Market(MarketRejection::OnOffer {
        offered: 2,
        free: 1,
    }));
    // Schema 13.
    rejections.extend(
        [
            SocialRejection::PlayersOnly,
            SocialRejection::UnknownCategory {
                kind: TalkKind::Joke,
                category: "c".into(),
            },
            SocialRejection::UnknownStyle { style: "s".into() },
            SocialRejection::StyleNotHere {
                kind: TalkKind::Blessing,
            },
            SocialRejection::AboutNotHere {
                kind: TalkKind::Joke,
            },
            SocialRejection::AlreadyForged,
            SocialRejection::ReforgeTooSoon { at: AT },
            SocialRejection::QuizIncomplete { questions: 5 },
            SocialRejection::QuizAnswerInvalid { question: 2 },
        ]
        .map(Rejection::Social),
    );
    // Schema 14.
    rejections.extend(
        [
            FunRejection::PlayersOnly,
            FunRejection::GrumpSelf,
            FunRejection::OptedOut { target: Q },
            FunRejection::OnCooldown { ready_at: AT },
            FunRejection::GrumpResting {
                target: Q,
                ready_at: AT,
            },
        ]
        .map(Rejection::Fun),
    );
    // Schema 15.
    rejections.extend(
        [
            SocialRejection::OperatorOnly,
            SocialRejection::EmptyTitle,
            SocialRejection::TitleTooLong { max: 100 },
            SocialRejection::EmptyText,
            SocialRejection::TextTooLong { max: 4_000 },
            SocialRejection::TitleTaken { number: 2 },
            SocialRejection::AlreadyQuoted { number: 3 },
            SocialRejection::LoreFull { max: 10 },
            SocialRejection::NoSuchLore { number: 4 },
            SocialRejection::NotYourLore { number: 5 },
            SocialRejection::RoleTaken {
                faction: SparkFaction::Maverick,
            },
            SocialRejection::NoRoleMapped {
                faction: SparkFaction::Autobot,
            },
            SocialRejection::NoSuchRequest { request: 0x11 },
            SocialRejection::AlreadyCounting,
            SocialRejection::NotCounting,
        ]
        .map(Rejection::Social),
    );
    // Schema 16.
    rejections.extend(
        [
            FunRejection::SystemOnly,
            FunRejection::RangeRounds { rounds: 7 },
            FunRejection::RangeOpen { session: 2 },
            FunRejection::NoRange,
            FunRejection::RangeGone { session: 1 },
            FunRejection::RangeCountdown,
            FunRejection::RangeRoundGone { round: 4 },
            FunRejection::RangeButton { button: 9 },
            FunRejection::RangeNotIdle { session: 3 },
        ]
        .map(Rejection::Fun),
    );
    // Schema 17.
    rejections.extend(
        [
            FunRejection::TriviaRunning,
            FunRejection::TriviaCategory {
                category: "c".into(),
            },
            FunRejection::TriviaLength { max: 30 },
            FunRejection::NoTrivia,
            FunRejection::TriviaClosed { number: 2 },
            FunRejection::TriviaChoice { choice: 7 },
            FunRejection::TriviaAnsweredAlready { number: 3 },
            FunRejection::TriviaNotHost,
            FunRejection::TriviaNotDue { number: 4 },
        ]
        .map(Rejection::Fun),
    );
    // Schema 18.
    rejections.extend(
        [
            FunRejection::NoStory { story: "s".into() },
            FunRejection::WalkGoing { story: "s".into() },
            FunRejection::NoWalk { story: "s".into() },
            FunRejection::WalkMoved { story: "s".into() },
            FunRejection::NoChoice { choice: 3 },
        ]
        .map(Rejection::Fun),
    );
    // Schema 19.
    rejections.extend(
        [
            FunRejection::NoTeam { team: 1 },
            FunRejection::TeamFormed { team: 2 },
            FunRejection::TeamExpired { team: 3 },
            FunRejection::NeedPet,
            FunRejection::InTeam { team: 4 },
            FunRejection::PartTaken {
                part: Part::LeftLeg,
            },
            FunRejection::NotInTeam,
            FunRejection::TeamNotDue { team: 5 },
        ]
        .map(Rejection::Fun),
    );
    // Schema 20.
    rejections.extend(
        [
            FunRejection::GamesSize {
                entrants: 50,
                factions: 10,
                districts: 12,
            },
            FunRejection::NoGame { game: 1 },
            FunRejection::GamesUnderway { game: 2 },
            FunRejection::GamesIn { game: 3 },
            FunRejection::GamesFull { game: 4 },
            FunRejection::GamesNotCreator { game: 5 },
            FunRejection::GamesNotStarted { game: 6 },
            FunRejection::GamesOver { game: 7 },
            FunRejection::GamesTooFew { game: 8 },
        ]
        .map(Rejection::Fun),
    );
    // Schema 21.
    rejections.extend(
        [
            RpgRejection::PlayersOnly,
            RpgRejection::SystemOnly,
            RpgRejection::NameInvalid { max: 32 },
            RpgRejection::UnknownClass { class: "x".into() },
            RpgRejection::TooManyCharacters { max: 3 },
            RpgRejection::NoSuchCharacter { character: 1 },
            RpgRejection::NotOwned {
                character: 1,
                item: "g".into(),
            },
            RpgRejection::AlreadyWorn {
                character: 1,
                item: "g".into(),
            },
            RpgRejection::NotWorn {
                character: 1,
                item: "g".into(),
            },
            RpgRejection::KindFull {
                character: 1,
                max: 2,
            },
            RpgRejection::CharacterBusy { character: 1 },
            RpgRejection::NoKillRequest { character: 1 },
            RpgRejection::Busy {
                activity: Engagement::Adventure,
            },
            RpgRejection::NoSuchAdventure { adventure: 1 },
            RpgRejection::AlreadyStarted { adventure: 1 },
            RpgRejection::AdventureOver { adventure: 1 },
            RpgRejection::PartyFull {
                adventure: 1,
                max: 4,
            },
            RpgRejection::NotInParty { adventure: 1 },
            RpgRejection::AlreadyInParty { adventure: 1 },
            RpgRejection::CreatorOnly { adventure: 1 },
            RpgRejection::ChronicleRunning { adventure: 1 },
            RpgRejection::StaleSegment,
            RpgRejection::ApproachTaken,
            RpgRejection::NotAChallenge,
            RpgRejection::NotAVote,
            RpgRejection::NoSuchChoice { choice: 4 },
            RpgRejection::TooEarly { deadline: AT },
            RpgRejection::InBattle,
            RpgRejection::AlreadyNarrated,
            RpgRejection::NarrationInvalid { max: 1_200 },
            RpgRejection::NotStarted { adventure: 1 },
        ]
        .map(Rejection::Rpg),
    );
    // Schema 22.
    rejections.extend(
        [
            FunRejection::NotFormed { team: 1 },
            FunRejection::NotHead { team: 1 },
            FunRejection::SameTeam,
            FunRejection::MegaFighting { team: 1 },
            FunRejection::NoMegaChallenge { team: 1 },
            FunRejection::MemberWithoutPet { player: P },
            FunRejection::MemberTooWeak { player: P },
            FunRejection::SortSize {
                players: 50,
                districts: 12,
            },
            FunRejection::GamesNames { max: 24 },
            FunRejection::GamesRoleNeeded {
                game: 1,
                role: Snowflake(9),
            },
            FunRejection::GamesNarrationRefused {
                game: 1,
                round: 2,
                max: 1_500,
            },
        ]
        .map(Rejection::Fun),
    );
    rejections.extend(
        [
            SocialRejection::WordsNotHere {
                kind: TalkKind::Joke,
            },
            SocialRejection::UnusableWords,
        ]
        .map(Rejection::Social),
    );
    rejections
}
