/**
 * The consumer side of dqlog: {@link org.dqlog.core.subscribe.FanInSubscriber} consumes the same
 * destinations from every broker (the brokers do not forward to each other), hands each message
 * to a {@link org.dqlog.core.subscribe.DeliveryHandler} as a {@link
 * org.dqlog.core.subscribe.Delivery}, and lets the consumer acknowledge what it made durable in
 * groups ({@link org.dqlog.core.subscribe.AckGroup}: one cumulative ACK per session and
 * subscription); {@link org.dqlog.core.subscribe.ProgressSubscriber} reads the progress topic
 * with a {@code MsgType} selector.
 *
 * <p>A collector's loop, in outline:
 * <pre>{@code
 * BlockingQueue<Delivery> inbox = new ArrayBlockingQueue<>(2 * GROUP);    // bounded: back-pressure
 * FanInSubscriber logging = FanInSubscriber.builder(new BrokerResolver(brokers))
 *     .name("logging").destinations(Destinations.LOGGING)
 *     .prefetch(2 * GROUP)                       // larger than a group, so groups do not stall
 *     .sessionConfig(config).status(status).stateListener(health::update)
 *     .handler(inbox::put)                       // reader thread; blocks only its own broker
 *     .start();
 * // batching thread
 * AckGroup group = new AckGroup();
 * while (running) {
 *     Delivery d = inbox.poll(timeLeftInGroup, MILLISECONDS);
 *     if (d != null) { store.append(decodeOrDeadLetter(d), d.receivedAt()); group.add(d); }
 *     if (group.size() >= GROUP || groupTimeUp) {
 *         store.sync(); index.commit();          // durable first ...
 *         group.ack();                           // ... then one ACK per broker session and subscription
 *     }
 * }
 * logging.close();                               // after the last group's ack
 * }</pre>
 */
package org.dqlog.core.subscribe;
