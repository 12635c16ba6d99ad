//! A worker's runtime: events come from the writer's stream through the consumer group
//! instead of an events connection; each is acknowledged once the consumer asked for the
//! next one (its handler returned).

use std::sync::Arc;

use ermine_redis::events::{Acker, Delivery, EventConsumer, EventRecord};

use super::{Ack, EventQueue, Events, Shared, Source};
use crate::event::Event;
use crate::{Client, Error};

impl Events {
    /// Starts a worker's runtime on `consumer`.
    pub(crate) fn start_worker(consumer: EventConsumer, client: Client, queue: EventQueue) -> Self {
        let source = Source::Worker(consumer.monitor());
        Self::spawn(queue, source, |shared| run(consumer, client, shared))
    }
}

/// What acknowledges a delivery.
fn ack(acker: &Acker, delivery: &Delivery) -> Ack {
    let (acker, token) = (acker.clone(), delivery.ack_token());
    Box::pin(async move {
        // A failed acknowledgement leaves the entry pending: it is delivered again (at least
        // once), and the failure is logged by the link.
        let _ = acker.ack(token).await;
    })
}

/// The facade's event of a record (the cache's changes came with it: the worker's own cache
/// follows the writer's through the shared cache).
fn event(client: &Client, record: Result<EventRecord, String>) -> Result<Event, Error> {
    match record.map_err(Error::WorkerRecord)? {
        EventRecord::Event { event, change } => Ok(Event::from_change(client, event, change)),
        EventRecord::Reconciled { server, changes } => {
            Ok(Event::reconciled(client, server, changes))
        }
        other => Err(Error::WorkerRecord(format!(
            "a record this version does not know: {other:?}"
        ))),
    }
}

async fn run(mut consumer: EventConsumer, client: Client, shared: Arc<Shared>) {
    let acker = consumer.acker();
    loop {
        let delivery = consumer.next().await;
        let done = ack(&acker, &delivery);
        let item = event(&client, delivery.record);
        if !shared.deliver(&client, item, Some(done)).await {
            break;
        }
    }
    shared.queue.finish();
}
