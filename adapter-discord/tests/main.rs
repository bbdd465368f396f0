//! Every integration test of `adapter-discord` in one binary: one link instead of one per file,
//! which keeps a fresh build's disk and time small. Each file below is one area of tests.

mod audit_log;
mod browser;
mod confirmations;
mod console;
mod first_contact;
mod fun;
mod gateway;
mod growth;
mod http;
mod lore;
mod market;
mod monitor;
mod my_data;
mod ops;
mod recruit;
mod replies;
mod rpg;
mod social;
mod stress;
mod support;
mod sync_commands;
mod tidy;
mod trade;
mod web;
