// The operations view: outbox backlog, consumer and read-model lag, and the dead letters with their
// reasons and a replay or discard button each. Polled: the figures are readings, not events.

import * as api from './api.js';

export class OperationsView {
  constructor(byId, intervalMillis, onDeadLetters) {
    this.byId = byId;
    this.template = byId('dead-letter-template');
    this.onDeadLetters = onDeadLetters;
    this.refresh = this.refresh.bind(this);
    setInterval(this.refresh, intervalMillis);
  }

  async refresh() {
    try {
      const [status, letters] = await Promise.all([api.operationsStatus(), api.deadLetters()]);
      this.showStatus(status);
      this.showDeadLetters(letters);
    } catch (error) {
      console.warn('the operations figures could not be read', error);
    }
  }

  showStatus(status) {
    const outbox = status.outbox || {};
    this.byId('outbox-backlog').textContent = outbox.backlog ?? '–';
    this.byId('outbox-oldest').textContent = outbox.oldest ?? '–';
    this.byId('log-head').textContent = status.head ?? '–';
    fillLags(this.byId('consumer-lags'), status.consumers || {}, `none on the ${status.transport || ''} transport`);
    fillLags(this.byId('projection-lags'), status.projections || {}, 'none');
  }

  showDeadLetters(letters) {
    this.onDeadLetters(letters.length);
    const list = this.byId('dead-letters');
    this.byId('dead-letters-empty').hidden = letters.length > 0;
    const shown = new Set(letters.map(letter => letter.id));
    [...list.children].filter(item => !shown.has(item.dataset.id)).forEach(item => item.remove());
    for (const letter of letters) {
      if (list.querySelector(`[data-id="${CSS.escape(letter.id)}"]`)) {
        continue;
      }
      const item = this.template.content.firstElementChild.cloneNode(true);
      item.dataset.id = letter.id;
      item.querySelector('.letter-consumer').textContent = letter.consumer;
      item.querySelector('.letter-type').textContent = (letter.event && (letter.event.type || 'a message')) || 'a message';
      item.querySelector('.letter-attempts').textContent = letter.attempts;
      item.querySelector('.letter-reason').textContent = letter.reason;
      item.querySelector('.replay').addEventListener('click', () => this.act(item, letter.id, 'replay'));
      item.querySelector('.discard').addEventListener('click', () => this.act(item, letter.id, 'discard'));
      list.append(item);
    }
  }

  async act(item, id, action) {
    const outcome = item.querySelector('.letter-outcome');
    outcome.textContent = action === 'replay' ? 'Replaying…' : 'Discarding…';
    const { status, body } = await api.actOnDeadLetter(id, action);
    if (status === 204) {
      outcome.textContent = 'Discarded.';
    } else if (status === 200) {
      outcome.textContent = body.outcome === 'HANDLED' ? 'Handled.' : 'Dead-lettered again: the cause is still there.';
    } else {
      outcome.textContent = `Refused (${status}): ${body.error || ''}`;
    }
    item.dataset.outcome = status === 200 ? body.outcome : String(status);
    await this.refresh();
  }
}

function fillLags(body, lags, whenNone) {
  body.replaceChildren();
  const names = Object.keys(lags).sort();
  if (names.length === 0) {
    const row = body.insertRow();
    row.insertCell().textContent = whenNone;
    return;
  }
  for (const name of names) {
    const row = body.insertRow();
    row.dataset.name = name;
    row.insertCell().textContent = name;
    const lag = row.insertCell();
    lag.textContent = lags[name];
    lag.className = 'lag';
  }
}
