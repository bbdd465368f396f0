//! Every integration test of `engine` in one binary: one link instead of one per file,
//! which keeps a fresh build's disk and time small. Each file below is one area of tests.

mod audit;
mod battle_replay;
mod battle_rules;
mod battle_sim;
mod check;
mod codec;
#[path = "core.rs"]
mod core_log;
mod crash;
mod determinism;
mod economy_rules;
mod energon_rules;
mod erasure;
mod fixtures;
mod fun_combiner;
mod fun_games;
mod fun_range;
mod fun_rules;
mod fun_trivia;
mod fun_walk;
mod growth;
mod invariants;
mod legacy_import;
mod log_conformance;
mod market_rules;
mod mega_fight;
mod pet_rules;
mod recruit_rules;
mod rpg_rules;
mod schemas;
mod slots_rules;
mod social_lore;
mod social_rules;
mod storage_faults;
mod tidy;
mod trade_property;
mod trade_rules;
mod tuning_independence;
