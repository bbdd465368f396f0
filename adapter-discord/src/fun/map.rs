//! The Cybertron Games arena as a PNG, drawn after every round: one tile per district (its
//! contestants are dealt into districts in seat order), each contestant a dot in its faction's
//! colour, a cross once eliminated, and the factions' names with their colours and how many
//! stand. The same image stack as the market's chart (plotters on an in-memory bitmap, the
//! embedded font), so it draws the same on any machine.

use allspark_engine::fun::Game;
use plotters::prelude::*;

use crate::fun::render::ArenaNames;
use crate::market::chart::{encode_png, font_ready, ChartError};

pub const WIDTH: u32 = 900;
pub const HEIGHT: u32 = 560;

const BACKGROUND: RGBColor = RGBColor(20, 18, 24);
const TILE: RGBColor = RGBColor(44, 40, 52);
const EDGE: RGBColor = RGBColor(96, 88, 110);
const TEXT: RGBColor = RGBColor(214, 208, 222);
const FALLEN: RGBColor = RGBColor(110, 104, 118);
/// One colour per faction (at most ten), and the colour of every contestant in a game without.
const FACTION_COLOURS: [RGBColor; 10] = [
    RGBColor(226, 62, 58),
    RGBColor(150, 84, 214),
    RGBColor(240, 146, 44),
    RGBColor(236, 214, 60),
    RGBColor(76, 196, 96),
    RGBColor(64, 150, 236),
    RGBColor(232, 106, 176),
    RGBColor(72, 206, 200),
    RGBColor(176, 140, 96),
    RGBColor(200, 200, 210),
];

/// The district contestant `seat` is in.
pub fn district_of(seat: usize, districts: u8) -> usize {
    seat % usize::from(districts.max(1))
}

/// The arena of a started game as a PNG; `None` before the start.
pub fn arena_map(
    number: u32,
    game: &Game,
    names: &ArenaNames,
) -> Option<Result<Vec<u8>, ChartError>> {
    let (_, entrants) = game.started.as_ref()?;
    Some(draw(number, game, names, entrants.len()))
}

fn draw(number: u32, game: &Game, names: &ArenaNames, n: usize) -> Result<Vec<u8>, ChartError> {
    let fail = |e: &dyn std::fmt::Display| ChartError::Draw(e.to_string());
    let text = font_ready();
    let districts = usize::from(game.districts.clamp(1, 12));
    let cols = districts.min(4);
    let rows = districts.div_ceil(cols);
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&BACKGROUND).map_err(|e| fail(&e))?;
        let (top, legend_h) = (44i32, 56i32);
        let (w, h) = (WIDTH as i32, HEIGHT as i32);
        if text {
            let standing = game.arena.alive.iter().filter(|a| **a).count();
            let title = format!(
                "Cybertron Games #{number} · round {} · {standing} of {n} standing",
                game.arena.round
            );
            root.draw(&Text::new(
                title,
                (16, 12),
                ("sans-serif", 22).into_font().color(&TEXT),
            ))
            .map_err(|e| fail(&e))?;
        }
        let tile_w = (w - 16) / cols as i32;
        let tile_h = (h - top - legend_h - 8) / rows as i32;
        for d in 0..districts {
            let (cx, cy) = ((d % cols) as i32, (d / cols) as i32);
            let (x0, y0) = (8 + cx * tile_w, top + cy * tile_h);
            let (x1, y1) = (x0 + tile_w - 8, y0 + tile_h - 8);
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], TILE.filled()))
                .map_err(|e| fail(&e))?;
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], EDGE.stroke_width(1)))
                .map_err(|e| fail(&e))?;
            if text {
                root.draw(&Text::new(
                    format!("{} · {}", d + 1, names.district(d)),
                    (x0 + 6, y0 + 4),
                    ("sans-serif", 14).into_font().color(&TEXT),
                ))
                .map_err(|e| fail(&e))?;
            }
            // The district's contestants, in rows of dots under its name.
            let seats: Vec<usize> = (0..n)
                .filter(|s| district_of(*s, game.districts) == d)
                .collect();
            let per_row = ((x1 - x0 - 12) / 22).max(1) as usize;
            for (k, seat) in seats.iter().enumerate() {
                let x = x0 + 14 + (k % per_row) as i32 * 22;
                let y = y0 + 34 + (k / per_row) as i32 * 22;
                if y > y1 - 6 {
                    break;
                }
                let faction = game.arena.faction.get(*seat).copied().unwrap_or(0);
                let colour = if game.factions >= 2 {
                    FACTION_COLOURS[usize::from(faction) % FACTION_COLOURS.len()]
                } else {
                    FACTION_COLOURS[5]
                };
                if game.arena.alive.get(*seat).copied().unwrap_or(false) {
                    root.draw(&Circle::new((x, y), 8, colour.filled()))
                        .map_err(|e| fail(&e))?;
                } else {
                    let style = FALLEN.stroke_width(2);
                    root.draw(&PathElement::new(
                        vec![(x - 6, y - 6), (x + 6, y + 6)],
                        style,
                    ))
                    .map_err(|e| fail(&e))?;
                    root.draw(&PathElement::new(
                        vec![(x - 6, y + 6), (x + 6, y - 6)],
                        style,
                    ))
                    .map_err(|e| fail(&e))?;
                }
            }
        }
        // The legend: each faction's colour, name and how many of it stand.
        if text && game.factions >= 2 {
            let y = h - legend_h + 10;
            let shown = usize::from(game.factions).min(FACTION_COLOURS.len());
            let step = (w - 16) / shown.div_ceil(2).max(1) as i32;
            for (f, colour) in FACTION_COLOURS.iter().enumerate().take(shown) {
                let (x, y) = (16 + (f / 2) as i32 * step, y + (f % 2) as i32 * 22);
                let standing = (0..n)
                    .filter(|s| {
                        game.arena.faction.get(*s) == Some(&(f as u8))
                            && game.arena.alive.get(*s).copied().unwrap_or(false)
                    })
                    .count();
                root.draw(&Circle::new((x + 6, y + 8), 6, colour.filled()))
                    .map_err(|e| fail(&e))?;
                root.draw(&Text::new(
                    format!("{} ({standing})", names.faction(f)),
                    (x + 16, y),
                    ("sans-serif", 13).into_font().color(&TEXT),
                ))
                .map_err(|e| fail(&e))?;
            }
        }
        root.present().map_err(|e| fail(&e))?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

/// The map's file name for round `round` of game `number`.
pub fn file_name(number: u32, round: u16) -> String {
    format!("cybertron-games-{number}-round-{round}.png")
}

#[cfg(test)]
mod tests {
    use super::*;
    use allspark_engine::dice::Seed;
    use allspark_engine::fun::games::{self, Entrant};

    fn game(entrants: usize, factions: u8, districts: u8, rounds: usize) -> Game {
        let seed = Seed::pcg(7);
        let mut arena = games::start(seed, entrants, usize::from(factions));
        for _ in 0..rounds {
            let happenings = games::round(&allspark_engine::content::get().games, seed, &arena);
            games::apply(&mut arena, &happenings);
        }
        Game {
            creator: None,
            channel: allspark_engine::Snowflake(1),
            opened_at: allspark_engine::Timestamp(0),
            players: Vec::new(),
            drones: entrants as u8,
            factions,
            districts,
            started: Some((seed, (0..entrants as u16).map(Entrant::Drone).collect())),
            arena,
            rounds: Vec::new(),
            ended: false,
            role: None,
            narrations: Default::default(),
        }
    }

    fn size_of(png_bytes: &[u8]) -> (u32, u32) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        (info.width, info.height)
    }

    #[test]
    fn a_map_is_a_png_of_its_size_for_any_arena() {
        for (entrants, factions, districts, rounds) in
            [(50, 10, 12, 3), (2, 0, 1, 0), (13, 2, 5, 6), (50, 0, 3, 1)]
        {
            let g = game(entrants, factions, districts, rounds);
            let png_bytes = arena_map(1, &g, &ArenaNames::default())
                .expect("started")
                .expect("drawn");
            assert_eq!(size_of(&png_bytes), (WIDTH, HEIGHT));
        }
    }

    #[test]
    fn the_map_changes_as_contestants_fall_and_nothing_is_drawn_before_the_start() {
        let before = arena_map(1, &game(20, 4, 4, 0), &ArenaNames::default())
            .expect("started")
            .expect("drawn");
        let after = arena_map(1, &game(20, 4, 4, 4), &ArenaNames::default())
            .expect("started")
            .expect("drawn");
        assert_ne!(before, after);
        let mut lobby = game(20, 4, 4, 0);
        lobby.started = None;
        assert!(arena_map(1, &lobby, &ArenaNames::default()).is_none());
    }

    #[test]
    fn contestants_are_dealt_into_every_district() {
        let districts: std::collections::BTreeSet<usize> =
            (0..50).map(|s| district_of(s, 12)).collect();
        assert_eq!(districts.len(), 12);
        assert_eq!(district_of(5, 0), 0);
    }
}
