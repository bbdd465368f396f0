//! The registry of areas: each line of `areas!` names an area's folder (`src/<area>/`) and the
//! variant its events take in the engine's `Event`. From that list come the routes every
//! transport uses: slash commands by name, presses and forms by the verb of their
//! `custom_id`, autocomplete by command, the registration table, and the words for events.
//!
//! An area's folder has `mod.rs` (its `Slash` commands, `commands()`, `slash`, `press`,
//! `form`, `autocomplete`), `ids.rs` (its presses: `VERBS`, `Press` with strict `decode`) and
//! `render.rs` (its views and `describe`). A folder missing one of them does not compile.

use std::collections::BTreeMap;

use allspark_engine::Event;

use crate::app::{App, Handled};
use crate::commands::CommandSpec;
use crate::custom_id::{split, Encode};
use crate::invocation::{Invocation, Options};
use crate::reply::Choice;

macro_rules! areas {
    ($($area:ident => $variant:ident),+ $(,)?) => {
        /// A slash command, by the area that handles it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Slash {
            $($variant(crate::$area::Slash),)+
        }

        /// A decoded press (or form), by the area it belongs to.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Press {
            $($variant(crate::$area::ids::Press),)+
        }

        /// Every area's name and the verbs its ids use, in registry order.
        pub const VERBS: &[(&str, &[&str])] = &[$((stringify!($area), crate::$area::ids::VERBS),)+];

        /// Every area's name, in registry order.
        pub const AREAS: &[&str] = &[$(stringify!($area),)+];

        impl Slash {
            /// The command of this name, whichever area registers it.
            pub fn parse(name: &str) -> Option<Slash> {
                $(if let Some(slash) = crate::$area::Slash::parse(name) {
                    return Some(Slash::$variant(slash));
                })+
                None
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(Slash::$variant(slash) => slash.name(),)+
                }
            }

            /// Every command of every area, in registry order.
            pub fn all() -> Vec<Slash> {
                let mut all = Vec::new();
                $(all.extend(crate::$area::Slash::ALL.iter().map(|s| Slash::$variant(*s)));)+
                all
            }
        }

        impl Press {
            /// Parses a `custom_id`; `None` for another version, an unknown verb or a field that
            /// doesn't fit.
            pub fn decode(id: &str) -> Option<Press> {
                let (verb, rest) = split(id)?;
                $(if crate::$area::ids::VERBS.contains(&verb) {
                    return crate::$area::ids::Press::decode(verb, &rest).map(Press::$variant);
                })+
                None
            }

            /// The person a view belongs to, if it belongs to one.
            pub fn owner(&self) -> Option<u64> {
                match self {
                    $(Press::$variant(press) => press.owner(),)+
                }
            }
        }

        impl Encode for Press {
            fn encode(&self) -> String {
                match self {
                    $(Press::$variant(press) => press.encode(),)+
                }
            }
        }

        /// The heading of an area's part of `/help` (each area's `HELP_TITLE`).
        pub fn help_title(area: &str) -> &str {
            match area {
                $(stringify!($area) => crate::$area::HELP_TITLE,)+
                other => other,
            }
        }

        /// Every area's name and its commands, in registry order.
        pub fn commands_by_area() -> Vec<(&'static str, Vec<CommandSpec>)> {
            vec![$((stringify!($area), crate::$area::commands()),)+]
        }

        /// Every area's commands, in registry order (operator commands are moved last by
        /// [`commands`]).
        fn area_commands() -> Vec<CommandSpec> {
            let mut all = Vec::new();
            $(all.extend(crate::$area::commands());)+
            all
        }

        pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
            match slash {
                $(Slash::$variant(slash) => crate::$area::slash(app, inv, slash, options).await,)+
            }
        }

        pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
            match press {
                $(Press::$variant(press) => crate::$area::press(app, inv, press, values).await,)+
            }
        }

        pub async fn form(
            app: &App,
            inv: &Invocation,
            press: Press,
            fields: &BTreeMap<String, String>,
        ) -> Handled {
            match press {
                $(Press::$variant(press) => crate::$area::form(app, inv, press, fields).await,)+
            }
        }

        pub async fn autocomplete(
            app: &App,
            inv: &Invocation,
            slash: Slash,
            option: &str,
            partial: &str,
        ) -> Vec<Choice> {
            match slash {
                $(Slash::$variant(slash) => {
                    crate::$area::autocomplete(app, inv, slash, option, partial).await
                })+
            }
        }

        /// A line of words for an event, from the point of view of the people involved; `None`
        /// for events nobody needs to read about.
        pub fn describe(event: &Event) -> Option<String> {
            match event {
                $(Event::$variant(event) => crate::$area::render::describe(event),)+
            }
        }
    };
}

areas! {
    player => Player,
    pets => Pet,
    battle => Battle,
    energon => Energon,
    slots => Slots,
    trade => Trade,
    market => Market,
    social => Social,
    fun => Fun,
    rpg => Rpg,
    recruit => Recruit,
    admin => Admin,
}

/// The registration table: every area's player-facing commands in registry order (the order
/// `/help` lists them), then the operator commands.
pub fn commands() -> Vec<CommandSpec> {
    let (mut players, operators): (Vec<_>, Vec<_>) =
        area_commands().into_iter().partition(|c| !c.operator);
    players.extend(operators);
    players
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_name_belongs_to_exactly_one_area_and_parses_back() {
        let all = Slash::all();
        let table = commands();
        assert_eq!(all.len(), table.len());
        for slash in &all {
            assert_eq!(Slash::parse(slash.name()), Some(*slash), "{}", slash.name());
            assert_eq!(
                table.iter().filter(|c| c.name == slash.name()).count(),
                1,
                "/{} is registered once",
                slash.name()
            );
        }
    }

    #[test]
    fn verbs_are_unique_across_areas() {
        let mut seen = std::collections::BTreeMap::new();
        for (area, verbs) in VERBS {
            for verb in *verbs {
                if let Some(other) = seen.insert(*verb, *area) {
                    panic!("verb `{verb}` is claimed by {other} and {area}");
                }
            }
        }
    }
}
