// How times and amounts read on the page.

const CLOCK = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3,
});

/** A <time> element for an RFC 3339 timestamp: the local clock time, to the millisecond. */
export function timeOf(rfc3339) {
  const element = document.createElement('time');
  element.className = 'event-time';
  element.dateTime = rfc3339;
  const parsed = new Date(rfc3339);
  element.textContent = Number.isNaN(parsed.getTime()) ? rfc3339 : CLOCK.format(parsed);
  return element;
}

export function amount(total) {
  return typeof total === 'number' ? total.toFixed(2) : '';
}
