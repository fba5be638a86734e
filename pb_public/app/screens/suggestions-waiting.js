// The home screen's line for 群众建议, kept apart from the suggestions
// screen, which loads only when opened.
import { html, useState, useEffect } from '../../vendor/preact-htm.js';
import { pb, cachedList } from '../api.js';

// waitingFilter: this deputy's suggestions nobody has responded to yet.
const waitingFilter = (me) => pb.filter('deputy = {:me} && status = "received"', { me });

// SuggestionsWaiting is the home screen's line: how many suggestions wait
// for this deputy's response (the last count read, when offline).
export function SuggestionsWaiting({ user, online }) {
  const [n, setN] = useState(null);
  useEffect(() => {
    cachedList('suggestions-waiting', () => pb.collection('suggestions')
      .getList(1, 1, { filter: waitingFilter(user.id), fields: 'id', skipTotal: false }).then((r) => r.totalItems))
      .then((v) => setN(typeof v === 'number' ? v : null));
  }, [online]);
  // Drawn at once, the count filled in later: nothing moves under the finger.
  return html`<a class=${'button' + (n ? ' primary' : '')} href="#/suggestions" id="suggestions-waiting">
    ${n === null ? '群众建议' : n ? `群众建议：${n} 条等待响应` : '群众建议：没有等待响应的'}</a>`;
}
