/**
 * Accessible tabs: click or arrow keys move between them.
 * @param {HTMLElement} tablist
 */
export function setupTabs(tablist) {
  const tabs = [.../** @type {NodeListOf<HTMLElement>} */ (tablist.querySelectorAll('[role=tab]'))];
  const select = (tab) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
    tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      select(tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]);
    });
  }
}
