/**
 * Root user or IAM user: the style sheet hides the IAM user name for the root; here the field is also
 * required only for an IAM user, and focus moves to the first empty field.
 */
export function signInForm(): void {
  const form = document.querySelector<HTMLFormElement>("form.signin-form");
  const userName = document.querySelector<HTMLInputElement>("#username");
  if (!form || !userName) return;
  const update = () => {
    const kind = form.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value;
    userName.required = kind === "iam";
  };
  form.addEventListener("change", update);
  update();
  const empty = [...form.querySelectorAll<HTMLInputElement>("input[type=text], input[type=password]")].find((i) => i.offsetParent !== null && i.value === "");
  empty?.focus();
}
