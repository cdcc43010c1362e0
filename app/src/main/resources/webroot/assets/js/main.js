// The live page: orders and their events as they happen, told by the node through the SockJS
// bridge; and, after every (re)connect, what was missed, read from the HTTP API. On a node with
// tokens on, it first asks who you are (session.js), and shows only what that role may see.

import * as api from './api.js';
import { connectToBus } from './bridge.js';
import { OrderForm } from './order-form.js';
import { OperationsView } from './operations.js';
import { OrderList } from './order-list.js';
import { establish, signInAgain } from './session.js';

const byId = id => document.getElementById(id);

const orders = new OrderList(byId('orders'), byId('order-template'), readHistory);
let operator = false;
const catchUp = oneAtATime(async () => {
  const heardBeforeAsking = orders.heardSoFar;
  const [recent, deadLetters] = await Promise.all([api.recentOrders(), operator ? api.deadLetterCount() : null]);
  orders.applyRecent(recent, heardBeforeAsking);
  if (operator) {
    showDeadLetters(deadLetters);
  }
});

// nothing shows, and nothing is asked of the node, until it knows who the page acts for
establish(byId('sign-in'), byId('sign-in-message')).then(start, error => {
  byId('sign-in-message').textContent = `The node could not be asked who you are: ${error.message}`;
});

function start(session) {
  operator = session.roles.includes('operator');
  showWhoIsSignedIn(session);
  byId('live').hidden = false;
  // a customer sees its own orders, places orders for itself, and no operations
  byId('operations').hidden = !operator;
  byId('dead-letter-summary').hidden = !operator;
  if (session.secured && !operator) {
    const customer = byId('order-form').elements.customerId;
    customer.value = session.principal;
    customer.readOnly = true;
  }

  new OrderForm(byId('order-form'), byId('order-result'), accepted => {
    // no catch-up: the API has no read model of the order yet; the PENDING told live will ask for it
    orders.applyChange(accepted);
    orders.expand(accepted.orderId); // the order just placed opens, to watch its saga unfold
  });

  if (operator) {
    const operations = new OperationsView(byId, 3000, showDeadLetters);
    operations.refresh();
  }

  const listeners = { 'orders.status': noteChange };
  if (operator) {
    listeners['events.live'] = envelope => orders.addEvent(envelope);
  }
  connectToBus({
    listeners,
    // the listeners are registered by now, so whatever changes from here on is told live, and the
    // reads below cover what changed before
    onConnected: () => {
      showConnection('connected');
      orders.openAfterGap().forEach(readHistory);
      catchUp();
    },
    onDropped: () => showConnection('reconnecting'),
  });
}

function showWhoIsSignedIn(session) {
  if (!session.secured) {
    return;
  }
  byId('principal').textContent = `${session.principal} (${session.roles.join(', ') || 'no role'})`;
  byId('session').hidden = false;
  byId('sign-out').addEventListener('click', signInAgain);
}

/**
 * A status change. An order new to the page needs its customer and total from the API, which has them
 * by the time a change is told (the read model is written first).
 */
function noteChange(change) {
  if (!orders.applyChange(change)) {
    catchUp();
  }
}

async function readHistory(row) {
  row.timeline.follow();
  try {
    row.timeline.add(await api.eventsOf(row.orderId));
  } catch (error) {
    console.warn(`the events of ${row.orderId} could not be read`, error);
    row.timeline.unfollow(); // read again on the next open or reconnect
  }
}

function showDeadLetters(count) {
  byId('dead-letter-count').textContent = count >= api.DEAD_LETTERS_COUNTED ? `${count}+` : String(count);
}

const CONNECTION_LABELS = {
  connected: 'Connected: live',
  reconnecting: 'Disconnected: reconnecting…',
};

function showConnection(state) {
  const indicator = byId('connection');
  if (indicator.dataset.state !== state) { // a status region speaks on every change: only real ones
    indicator.dataset.state = state;
    indicator.textContent = CONNECTION_LABELS[state];
  }
}

/**
 * The task, never twice at once: asked while it runs, it runs once more afterwards, however many
 * times it was asked (a burst of new orders costs two reads, not one per order).
 */
function oneAtATime(task) {
  let running = false;
  let askedAgain = false;
  const run = async () => {
    if (running) {
      askedAgain = true;
      return;
    }
    running = true;
    try {
      await task();
    } catch (error) {
      console.warn('catching up from the API failed; the next (re)connect tries again', error);
    } finally {
      running = false;
      if (askedAgain) {
        askedAgain = false;
        run();
      }
    }
  };
  return run;
}
