/** The account menu (a <details>) closes on a click elsewhere and on Escape, as a menu does. */
export function accountMenu(): void {
  const menu = document.querySelector<HTMLDetailsElement>("details.account-menu");
  if (!menu) return;
  document.addEventListener("click", (e) => {
    if (menu.open && !menu.contains(e.target as Node)) menu.open = false;
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary")?.focus();
    }
  });
}
