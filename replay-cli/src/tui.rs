//! The full-screen battle stepper (`step` in a terminal): turn by turn with health gauges, the
//! turn's rolls, and keys to move. It works in any terminal and under tmux (crossterm); when
//! standard input or output isn't a terminal, `step` falls back to its line mode.
//!
//! Keys: → n space next, ← p previous, Home/End first/last, j then digits and Enter to jump,
//! f follow (re-read the battle every second and stay on the newest turn until it ends or f is
//! pressed again), q or Esc quit. A battle read from a running bot's replay feed (a URL) is
//! followed live this way.

use std::path::Path;

use allspark_engine::battle::replay::{self, TurnView};
use allspark_engine::battle::BattleId;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind};
use ratatui::layout::{Constraint, Direction, Layout};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};
use ratatui::Frame;

use crate::battles;

struct State {
    battle: BattleId,
    /// Where the battle was read from (a store id, a file, a feed URL), to re-read it.
    source: String,
    /// Re-reading every second.
    following: bool,
    views: Vec<TurnView>,
    at: usize,
    /// Digits typed after `j`.
    jump: Option<String>,
    message: String,
}

pub fn run(
    data: &Path,
    source: &str,
    battle: BattleId,
    views: Vec<TurnView>,
) -> anyhow::Result<()> {
    let mut terminal = ratatui::init();
    let mut state = State {
        battle,
        source: source.to_string(),
        following: false,
        views,
        at: 0,
        jump: None,
        message: String::new(),
    };
    let result = (|| -> anyhow::Result<()> {
        loop {
            terminal.draw(|frame| draw(frame, &state))?;
            if state.following && !event::poll(std::time::Duration::from_secs(1))? {
                reread(data, &mut state);
                continue;
            }
            let Event::Key(key) = event::read()? else {
                continue;
            };
            if key.kind != KeyEventKind::Press {
                continue;
            }
            let last = state.views.len() - 1;
            if let Some(digits) = state.jump.as_mut() {
                match key.code {
                    KeyCode::Char(c) if c.is_ascii_digit() => digits.push(c),
                    KeyCode::Enter => {
                        match jump_target(digits, last) {
                            Ok(at) => {
                                state.at = at;
                                state.message.clear();
                            }
                            Err(why) => state.message = why,
                        }
                        state.jump = None;
                    }
                    _ => state.jump = None,
                }
                continue;
            }
            match key.code {
                KeyCode::Char('q') | KeyCode::Esc => return Ok(()),
                KeyCode::Char('n') | KeyCode::Char(' ') | KeyCode::Right => {
                    state.at = (state.at + 1).min(last)
                }
                KeyCode::Char('p') | KeyCode::Left => state.at = state.at.saturating_sub(1),
                KeyCode::Home => state.at = 0,
                KeyCode::End => state.at = last,
                KeyCode::Char('j') => state.jump = Some(String::new()),
                KeyCode::Char('f') => {
                    state.following = !state.following;
                    if state.following {
                        reread(data, &mut state);
                    } else {
                        state.message = "stopped following".into();
                    }
                }
                _ => {}
            }
        }
    })();
    ratatui::restore();
    result
}

/// Re-reads the battle and moves to its newest turn; following stops once it has ended.
fn reread(data: &Path, state: &mut State) {
    match battles::load(data, &state.source) {
        Ok((_, events)) => match replay::timeline(events.iter()) {
            Ok(views) => {
                state.views = views;
                state.at = state.views.len() - 1;
                let over = events
                    .iter()
                    .any(|e| matches!(e, allspark_engine::battle::BattleEvent::Ended { .. }));
                if over {
                    state.following = false;
                    state.message = "the battle is over".into();
                } else {
                    state.message =
                        "following: new turns appear as they are played (f stops)".into();
                }
            }
            Err(divergence) => {
                state.following = false;
                state.message = divergence.to_string();
            }
        },
        Err(error) => {
            state.following = false;
            state.message = format!("{error:#}");
        }
    }
}

fn draw(frame: &mut Frame, state: &State) {
    let view = &state.views[state.at];
    let n_fighters = view.fighters.len() as u16;
    let areas = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(3),
            Constraint::Length(n_fighters * 2 + 2),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .split(frame.area());
    let title = if view.turn == 0 {
        "start".to_string()
    } else {
        format!("turn {} of {}", view.turn, state.views.len() - 1)
    };
    frame.render_widget(
        Paragraph::new(format!("battle {}  —  {title}", state.battle)).block(
            Block::default()
                .borders(Borders::ALL)
                .title("allspark-replay step"),
        ),
        areas[0],
    );
    let block = Block::default().borders(Borders::ALL).title("fighters");
    let inner = block.inner(areas[1]);
    frame.render_widget(block, areas[1]);
    for (index, fighter) in view.fighters.iter().enumerate() {
        let row = ratatui::layout::Rect {
            x: inner.x,
            y: inner.y + index as u16 * 2,
            width: inner.width,
            height: 2.min(inner.height.saturating_sub(index as u16 * 2)),
        };
        if row.height == 0 {
            break;
        }
        let percent = (u64::from(fighter.hp.min(fighter.hp_max)) * 100
            / u64::from(fighter.hp_max.max(1))) as u16;
        let color = match percent {
            51.. => Color::Green,
            21..=50 => Color::Yellow,
            _ => Color::Red,
        };
        let gauge = Gauge::default()
            .block(Block::default().title(battles::fighter_name(fighter, index)))
            .gauge_style(Style::default().fg(color))
            .percent(percent)
            .label(format!("{}/{}", fighter.hp, fighter.hp_max));
        frame.render_widget(gauge, row);
    }
    let mut lines: Vec<Line> = view
        .chosen
        .iter()
        .map(|(f, a)| Line::from(format!("#{f} chose {}", battles::describe_action(a))))
        .collect();
    lines.extend(
        view.log
            .iter()
            .map(|hit| Line::from(battles::describe_hit(hit))),
    );
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title("what happened"),
        ),
        areas[2],
    );
    let help = match &state.jump {
        Some(digits) => format!("jump to turn: {digits}_  (Enter to go)"),
        None => format!(
            "→/n next  ←/p previous  j jump  f follow  q quit  {}",
            state.message
        ),
    };
    frame.render_widget(Paragraph::new(help), areas[3]);
}

/// Where `j` then `digits` goes: the turn typed (0 is the start), or why not, without
/// moving (a turn past the end is not the last one, as `show --turn` says).
fn jump_target(digits: &str, last: usize) -> Result<usize, String> {
    match digits.parse::<usize>() {
        Ok(turn) if turn <= last => Ok(turn),
        Ok(turn) => Err(format!("there is no turn {turn}: the last is {last}")),
        Err(_) => Err("type the turn's number after j".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::jump_target;

    #[test]
    fn a_jump_past_the_end_says_so_and_stays() {
        assert_eq!(jump_target("3", 5), Ok(3));
        assert_eq!(jump_target("5", 5), Ok(5));
        assert_eq!(
            jump_target("9", 5),
            Err("there is no turn 9: the last is 5".to_string())
        );
        assert!(jump_target("", 5).is_err());
    }
}
