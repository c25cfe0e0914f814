//! The Redis stores behind Redis Sentinel: a master, its replica and one sentinel
//! (`redis-server` processes this test starts on spare ports). Two servers share the sessions,
//! the JWT blocklist and the throttle through the master the sentinel names; the master is
//! killed mid-test (requests fail at once: 503, a revoked token is never accepted), the
//! sentinel promotes the replica and service resumes on it (same servers, nothing lost).
//!
//! The servers are given a sentinel address where nothing listens before the real one: a
//! sentinel that is down is skipped.
//!
//! Without `redis-server` and `redis-cli` the test prints why and passes, unless
//! `DMR_REQUIRE_REDIS=1` (CI), where it fails.

mod jwt_support;
mod redis_topology;
mod session_support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dmr_runtime::redis::RedisServers;
use redis_topology::nodes::{Node, TempDir, cli, spare_port, tools_present, wait_for};
use redis_topology::{Stores, fails_closed, instance, resumes, works_across_servers};

const SERVICE: &str = "dmrmaster";

/// A master, a replica attached to it and a sentinel watching them (it knows the replica).
fn start_group(dir: &TempDir) -> Option<(Node, Node, Node)> {
    let master = Node::data(&dir.0, spare_port(), &[])?;
    let master_port = master.port.to_string();
    let replica = Node::data(
        &dir.0,
        spare_port(),
        &["--replicaof", "127.0.0.1", &master_port],
    )?;
    let attached = wait_for(Duration::from_secs(10), || {
        cli(master.port, &["INFO", "replication"]).is_some_and(|i| i.contains("connected_slaves:1"))
    });
    if !attached {
        return None;
    }
    let port = spare_port();
    let conf = dir.0.join("sentinel.conf");
    let text = format!(
        "port {port}\nbind 127.0.0.1\ndir {dir}\n\
         sentinel monitor {SERVICE} 127.0.0.1 {master_port} 1\n\
         sentinel down-after-milliseconds {SERVICE} 2000\n\
         sentinel failover-timeout {SERVICE} 5000\n",
        dir = dir.0.display(),
    );
    std::fs::write(&conf, text).ok()?;
    let sentinel = Node::spawn(port, vec![conf.to_str()?.to_owned(), "--sentinel".into()])?;
    let replica_port = format!("\n{}\n", replica.port);
    let knows = wait_for(Duration::from_secs(15), || {
        cli(sentinel.port, &["SENTINEL", "REPLICAS", SERVICE])
            .is_some_and(|r| r.contains(&replica_port))
    });
    knows.then_some((master, replica, sentinel))
}

#[actix_rt::test]
async fn the_stores_follow_a_sentinel_failover() {
    let test = "the_stores_follow_a_sentinel_failover";
    if !tools_present() {
        dmr_runtime::testing::unavailable(
            test,
            "redis-server or redis-cli is not on the PATH",
            "DMR_REQUIRE_REDIS",
        );
        return;
    }
    let dir = TempDir::new("sentinel");
    let Some((mut master, replica, sentinel)) = start_group(&dir) else {
        dmr_runtime::testing::unavailable(
            test,
            "the master, replica and sentinel did not come up",
            "DMR_REQUIRE_REDIS",
        );
        return;
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let nobody = format!("redis://127.0.0.1:{}", spare_port());
    let servers = RedisServers::sentinel([nobody, sentinel.url()], SERVICE).unwrap();
    let stores = Stores::new(&servers, &format!("dmr-test:sentinel:{nanos}:"));
    let (a, b) = (instance(&stores), instance(&stores));
    let signed = works_across_servers(&a, &b).await;

    // the replica has every write before the master dies
    let acked = cli(master.port, &["WAIT", "1", "5000"]).unwrap_or_default();
    assert_eq!(acked.trim(), "1", "the replica acknowledged the writes");
    master.kill();
    let killed = Instant::now();
    fails_closed(&a, &signed).await;
    fails_closed(&b, &signed).await;

    let promoted = wait_for(Duration::from_secs(20), || {
        cli(
            sentinel.port,
            &["SENTINEL", "GET-MASTER-ADDR-BY-NAME", SERVICE],
        )
        .is_some_and(|m| m.lines().nth(1) == Some(replica.port.to_string().as_str()))
    });
    assert!(promoted, "the sentinel promoted the replica");
    eprintln!(
        "replica promoted {:?} after the master died",
        killed.elapsed()
    );
    resumes(&a, &b, &signed).await;
}
