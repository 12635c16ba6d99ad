#![allow(missing_docs, clippy::unwrap_used)]
use std::time::Instant;
fn main() {
    let w2 = std::fs::read("/work/main/target/workloads/events_200000.jsonl").unwrap();
    let frames: Vec<&[u8]> = w2
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    for _ in 0..3 {
        let t = Instant::now();
        for f in &frames {
            let _: serde_json::Value = serde_json::from_slice(f).unwrap();
        }
        let tv = t.elapsed();
        let t = Instant::now();
        for f in &frames {
            let _: ermine_model::event::ServerEvent = serde_json::from_slice(f).unwrap();
        }
        let te = t.elapsed();
        let t = Instant::now();
        for f in &frames {
            let _: serde::de::IgnoredAny = serde_json::from_slice(f).unwrap();
        }
        let ti = t.elapsed();
        println!("value {tv:?} event {te:?} ignored {ti:?}");
    }
}
