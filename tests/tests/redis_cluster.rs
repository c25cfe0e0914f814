//! The Redis stores on a real Redis Cluster: three masters (`redis-server` processes this
//! test starts on spare ports, joined by `redis-cli --cluster create`). Two servers share the
//! sessions, the JWT blocklist and the throttle through it; the master owning the keys' slot is
//! frozen (its calls answer 503 at the timeout), then killed mid-test (503 at once; a revoked
//! token is never accepted) while a third server on another master's slot keeps being served,
//! and started again (service resumes, same servers, nothing lost).
//!
//! Without `redis-server` and `redis-cli` the test prints why and passes, unless
//! `DMR_REQUIRE_REDIS=1` (CI), where it fails.

mod jwt_support;
mod redis_topology;
mod session_support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dmr_runtime::redis::RedisServers;
use redis_topology::nodes::{Node, TempDir, cli, spare_port, tools_present, wait_for};
use redis_topology::{
    Stores, fails_closed, instance, resumes, serves, times_out, until_served, works_across_servers,
};

/// Three cluster masters in `dir`; `None` if one did not come up or the cluster did not form.
fn start_cluster(dir: &TempDir) -> Option<Vec<Node>> {
    let mut nodes = Vec::new();
    for _ in 0..3 {
        let port = spare_port();
        nodes.push(Node::data(
            &dir.0,
            port,
            &[
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                // longer than the outage below: the others never mark the node failed
                "--cluster-node-timeout",
                "5000",
                // the slots of the other masters keep serving while one is down
                "--cluster-require-full-coverage",
                "no",
            ],
        )?);
    }
    let addrs: Vec<String> = nodes
        .iter()
        .map(|n| format!("127.0.0.1:{}", n.port))
        .collect();
    let mut args = vec!["--cluster", "create"];
    args.extend(addrs.iter().map(String::as_str));
    args.push("--cluster-yes");
    cli(nodes[0].port, &args)?;
    let formed = wait_for(Duration::from_secs(20), || {
        nodes.iter().all(|n| {
            cli(n.port, &["CLUSTER", "INFO"]).is_some_and(|i| i.contains("cluster_state:ok"))
        })
    });
    formed.then_some(nodes)
}

/// The port of the master serving `key`'s slot, from `CLUSTER NODES`.
fn owner(nodes: &[Node], key: &str) -> u16 {
    let slot: u16 = cli(nodes[0].port, &["CLUSTER", "KEYSLOT", key])
        .expect("CLUSTER KEYSLOT")
        .trim()
        .parse()
        .expect("a slot");
    let table = cli(nodes[0].port, &["CLUSTER", "NODES"]).expect("CLUSTER NODES");
    for line in table.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 9 || !fields[2].contains("master") {
            continue;
        }
        let serves = fields[8..].iter().any(|range| {
            let (lo, hi) = range.split_once('-').unwrap_or((range, range));
            matches!((lo.parse::<u16>(), hi.parse::<u16>()), (Ok(lo), Ok(hi)) if (lo..=hi).contains(&slot))
        });
        if serves {
            let port = fields[1].split(['@', ':']).nth(1).expect("ip:port@bus");
            return port.parse().expect("a port");
        }
    }
    panic!("no master serves slot {slot}:\n{table}");
}

#[actix_rt::test]
async fn the_stores_work_on_a_cluster_fail_fast_when_a_master_hangs_or_dies_and_recover() {
    let test = "the_stores_work_on_a_cluster_fail_fast_when_a_master_hangs_or_dies_and_recover";
    if !tools_present() {
        dmr_runtime::testing::unavailable(
            test,
            "redis-server or redis-cli is not on the PATH",
            "DMR_REQUIRE_REDIS",
        );
        return;
    }
    let dir = TempDir::new("cluster");
    let Some(mut nodes) = start_cluster(&dir) else {
        dmr_runtime::testing::unavailable(test, "the cluster did not form", "DMR_REQUIRE_REDIS");
        return;
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let prefix = format!("dmr-test:cluster:{nanos}:");
    // any one node is enough to find the others; a node that is down is skipped
    let servers = RedisServers::cluster(nodes.iter().rev().map(Node::url)).unwrap();
    let stores = Stores::new(&servers, &prefix);
    let (a, b) = (instance(&stores), instance(&stores));
    let signed = works_across_servers(&a, &b).await;

    // every key is under the hash tag `{prefix}`, the blocklist's made so by the store: all on
    // the master owning that slot
    let port = owner(&nodes, &format!("{{{prefix}}}"));
    let keys = cli(port, &["--scan", "--pattern", &format!("{{{prefix}}}*")]).unwrap();
    // (a logout revokes the token's login family: `fam:`; the epoch marker beside it)
    for kind in ["session:", "fam:", "epoch", "throttle:"] {
        let kind = format!("{{{prefix}}}{kind}");
        assert!(keys.lines().any(|k| k.starts_with(&kind)), "{kind}: {keys}");
    }

    // a third server whose keys are in a slot of another master
    let elsewhere = (0..)
        .map(|i| format!("{prefix}other{i}:"))
        .find(|p| owner(&nodes, &format!("{{{p}}}")) != port)
        .unwrap();
    let c = instance(&Stores::new(&servers, &elsewhere));
    let signed_c = works_across_servers(&c, &c).await;
    let victim = nodes.iter_mut().find(|n| n.port == port).unwrap();

    // frozen: its slot's calls end at the timeout, the other masters' slots keep serving
    victim.signal("-STOP");
    times_out(&a, &signed).await;
    serves(&c, &signed_c).await;
    victim.signal("-CONT");
    let seen = until_served(&a, &signed, Duration::from_secs(10)).await;
    assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());

    // killed: its slot's calls fail at once, the other slots keep serving
    victim.kill();
    fails_closed(&a, &signed).await;
    fails_closed(&b, &signed).await;
    serves(&c, &signed_c).await;

    assert!(victim.start(), "the node restarts on its port");
    resumes(&a, &b, &signed).await;
}
