/**
 * The console's browser script: small behaviours on server-rendered pages (the pages work without it).
 * Page-specific modules register by the page's <body data-page="..."> name; common ones run everywhere.
 */
import "../console.css";
import { accountMenu } from "./account-menu.js";
import { signInForm } from "./sign-in.js";
import { tableFilters, confirmByTyping } from "./tables.js";
import { eventHistoryLive, insightsChart } from "./cloudtrail.js";

const pages: Record<string, () => void> = {
  signin: signInForm,
  cloudtrail: () => {
    eventHistoryLive();
    insightsChart();
  },
};

accountMenu();
tableFilters();
confirmByTyping();
pages[document.body.dataset.page ?? ""]?.();
