//! First contact is the first command of any kind (issue 13: "Player N has never played here"
//! for players who had only used read commands).

use crate::support;

use support::Table;

#[tokio::test(flavor = "multi_thread")]
async fn someone_who_only_looked_around_can_be_sent_energon() {
    let mut table = Table::new();
    table.slash(1, "get_pet faction:autobot").await;
    table.slash(999, "grant user:1 amount:100").await;
    // Player 5 only reads: the help, their (empty) pet and the Rush.
    for line in ["help", "pet", "rush_info"] {
        table.slash(5, line).await;
    }
    let sent = table.slash(1, "send to:5 amount:10").await.to_string();
    assert!(!sent.contains("never played"), "{sent}");
    let history = table.slash(5, "energon_history").await.to_string();
    assert!(history.contains("10"), "{history}");
    // Someone who never sent anything is still unknown, and told so.
    let unknown = table.slash(1, "send to:6 amount:10").await.to_string();
    assert!(unknown.contains("never played"), "{unknown}");
}
