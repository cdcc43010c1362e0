// A foreign consumer of Switchboard's events, on amqplib: binds a queue of its own to the topic
// exchange switchboard.events (every routing key) and prints each message it receives as one JSON
// line: the routing key, the AMQP properties a Node.js consumer sees, and the body parsed as JSON.
// It prints {"ready":true} once it consumes. Usage: node consume.js <amqp-uri>
'use strict';
const amqp = require('amqplib');

async function main() {
  const uri = process.argv[2];
  const connection = await amqp.connect(uri);
  const channel = await connection.createChannel();
  await channel.checkExchange('switchboard.events');
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'switchboard.events', '#');
  await channel.consume(queue, (message) => {
    const line = {
      routingKey: message.fields.routingKey,
      messageId: message.properties.messageId,
      contentType: message.properties.contentType,
      type: message.properties.type,
      body: JSON.parse(message.content.toString('utf8')),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    channel.ack(message);
  });
  process.stdout.write(JSON.stringify({ ready: true }) + '\n');
  const close = async () => {
    await connection.close();
    process.exit(0);
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});
