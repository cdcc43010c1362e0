// The orders on the page, each a row that opens onto its timeline. Rows change in place as their
// order's status changes; they are arranged (newest first) only when an order is added or the page
// catches up from the API, so that a row does not jump away from under the reader's eyes.

import { ORDERS_SHOWN } from './api.js';
import { amount } from './format.js';
import { Timeline } from './timeline.js';

// An order never goes back to PENDING once final: of two views of an order, the one further along
// wins. It matters because a list read over HTTP may be older than a change already told live.
const PROGRESS = { PENDING: 0, CONFIRMED: 1, CANCELLED: 1 };

class OrderRow {
  #details;
  #view = {};

  constructor(template, orderId, heardAs, onOpened) {
    this.orderId = orderId;
    this.heardAs = heardAs; // the how-manieth order the page heard of: places those not yet listed by the API
    this.updatedAt = null; // from the API's list only: live changes do not carry it
    this.element = template.content.firstElementChild.cloneNode(true);
    this.element.dataset.orderId = orderId;
    this.#details = this.element.querySelector('details');
    this.timeline = new Timeline(this.element.querySelector('.timeline'));
    this.#details.addEventListener('toggle', () => {
      if (this.#details.open && !this.timeline.following) {
        onOpened(this);
      }
    });
  }

  get isOpen() {
    return this.#details.open;
  }

  expand() {
    this.#details.open = true; // fires 'toggle', which reads the history
  }

  /** Takes what a live change or the API's read model says of the order, unless it is behind. */
  update(view) {
    const behind = (PROGRESS[view.status] ?? 0) < (PROGRESS[this.#view.status] ?? 0);
    const { status, reason } = behind ? this.#view : view;
    this.#view = { ...this.#view, ...view, status, reason };
    if (view.updatedAt) {
      this.updatedAt = Date.parse(view.updatedAt);
    }
    this.#render();
  }

  #render() {
    const view = this.#view;
    this.element.dataset.status = view.status ?? '';
    this.#field('.order-id', this.orderId);
    this.#field('.status', view.status ?? '');
    this.#field('.customer', view.customerId ?? '');
    this.#field('.total', amount(view.total));
    this.#field('.reason', view.reason ?? '');
  }

  #field(selector, text) {
    this.element.querySelector(selector).textContent = text;
  }
}

export class OrderList {
  #list;
  #template;
  #onOpened;
  #rows = new Map(); // orderId → OrderRow
  #heard = 0;

  /** @param onOpened called with a row the first time it is opened, to read its history */
  constructor(list, template, onOpened) {
    this.#list = list;
    this.#template = template;
    this.#onOpened = onOpened;
  }

  /**
   * A change told live, {orderId, status, reason?}. False while the page lacks the order's read model
   * (its customer and total), which only the API has.
   */
  applyChange(change) {
    const known = this.#rows.has(change.orderId);
    const row = this.#row(change.orderId);
    row.update(change);
    if (!known) {
      this.#arrange();
    }
    return row.updatedAt !== null;
  }

  /** How many orders the page has heard of so far; to give {@link applyRecent}. */
  get heardSoFar() {
    return this.#heard;
  }

  /**
   * The orders changed last, as the API lists them: their whole read model. An order heard of before
   * the list was asked for, but not in it, changed before all of them: it leaves the page.
   */
  applyRecent(views, heardBeforeAsking) {
    const listed = new Set(views.map(view => view.orderId));
    [...this.#rows.values()]
        .filter(row => row.updatedAt === null && row.heardAs <= heardBeforeAsking && !listed.has(row.orderId))
        .forEach(row => this.#remove(row));
    views.forEach(view => this.#row(view.orderId).update(view));
    this.#arrange();
  }

  /** A live event, added to its order's timeline if the page follows it (the subject is the order id). */
  addEvent(envelope) {
    const row = this.#rows.get(envelope.subject);
    if (row?.timeline.following) {
      row.timeline.add([envelope]);
    }
  }

  /**
   * After the bridge dropped, live events may have been missed: the open orders, whose histories must
   * be read again. The closed ones forget theirs, to read them when next opened.
   */
  openAfterGap() {
    const rows = [...this.#rows.values()];
    rows.filter(row => !row.isOpen).forEach(row => row.timeline.unfollow());
    return rows.filter(row => row.isOpen);
  }

  expand(orderId) {
    this.#rows.get(orderId)?.expand();
  }

  /** Takes an order off the page, unless the reader opened it. */
  #remove(row) {
    if (!row.isOpen) {
      this.#rows.delete(row.orderId);
      row.element.remove();
    }
  }

  #row(orderId) {
    let row = this.#rows.get(orderId);
    if (!row) {
      row = new OrderRow(this.#template, orderId, ++this.#heard, this.#onOpened);
      this.#rows.set(orderId, row);
    }
    return row;
  }

  /** Newest first, and no more than the API lists, but an order the reader opened stays. */
  #arrange() {
    const rows = [...this.#rows.values()].sort(newestFirst);
    rows.slice(ORDERS_SHOWN).forEach(row => this.#remove(row));
    // move only the rows out of place: a moved element loses the keyboard focus
    rows.filter(row => this.#rows.has(row.orderId)).forEach((row, index) => {
      const there = this.#list.children[index] ?? null;
      if (there !== row.element) {
        this.#list.insertBefore(row.element, there);
      }
    });
  }
}

// Orders heard of live but not listed by the API yet are the newest of all, the last heard first;
// the others go by the time the API says they changed last.
function newestFirst(a, b) {
  if ((a.updatedAt === null) !== (b.updatedAt === null)) {
    return a.updatedAt === null ? -1 : 1;
  }
  return a.updatedAt === null ? b.heardAs - a.heardAs : b.updatedAt - a.updatedAt;
}
