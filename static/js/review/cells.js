// Multi-box cells as a data-entry station has them: one character a box, typing replaces the box's character
// and moves on, Backspace clears and steps back, the arrows walk the boxes, and a pasted string fills the boxes
// from the focused one on (what does not fit is left out, and the field says so).

// What the keyboard gives as one character: a Hangul syllable or an emoji is one, though not one UTF-16 unit.
function characters(text) {
  return [...text];
}

// A space in a box is an empty box: the form's box was left blank, and a blank must not export as " ".
function boxed(character) {
  return character.trim();
}

export function wireCells(panel, element) {
  const cells = [...element.querySelectorAll("input.cell")];
  const select = (cell) => {
    cell.focus();
    cell.select();
  };
  const step = (cell, by) => {
    const next = cells[cells.indexOf(cell) + by];
    if (next && !next.disabled) select(next);
    return Boolean(next);
  };
  // What did not fit stays said until the field's next change, which makes it old news.
  const note = (text) => {
    let line = element.querySelector(".entry-note");
    if (!text) {
      line?.remove();
      return;
    }
    if (!line) {
      line = document.createElement("p");
      line.className = "entry-note";
      line.setAttribute("role", "status");
      element.querySelector(".joined-line").after(line);
    }
    line.textContent = text;
  };
  // Set one box and go on: to the next box, or past the last one to the next field.
  const enter = (cell, character) => {
    note("");
    cell.value = boxed(character);
    panel.typed(cell);
    panel.save(cell);
    if (!step(cell, 1)) panel.move(cell, 1);
  };
  const fill = (from, text) => {
    const typed = characters(text.replace(/[\r\n\t]/g, "").trim());
    const room = cells.slice(cells.indexOf(from));
    room.forEach((cell, index) => {
      if (index < typed.length) cell.value = boxed(typed[index]);
    });
    const left = typed.slice(room.length);
    note(left.length ? panel.messages.pasteCut.replace("%(count)d", left.length).replace("%(text)s", left.join("")) : "");
    panel.typed(from);
    // One request carries every changed box (the panel sends them all); the saves after it find nothing left.
    for (const cell of room) panel.save(cell);
    select(room[Math.min(typed.length, room.length - 1)]);
  };

  for (const cell of cells) {
    // A click lands the caret somewhere in the box; the box's character is what gets replaced all the same.
    cell.addEventListener("focus", () => cell.select());
    cell.addEventListener("click", () => cell.select());
    cell.addEventListener("beforeinput", (event) => {
      // An input method composing a syllable owns the box until it is done (compositionend).
      if (event.isComposing || event.inputType.startsWith("insertComposition")) return;
      if (event.inputType === "insertText" && event.data) {
        event.preventDefault();
        if (characters(event.data).length === 1) enter(cell, event.data);
        else fill(cell, event.data);
      } else if (event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop") {
        event.preventDefault();
        const text = event.dataTransfer?.getData("text/plain") ?? event.data ?? "";
        if (text) fill(cell, text);
      }
    });
    cell.addEventListener("paste", (event) => {
      event.preventDefault();
      fill(cell, event.clipboardData?.getData("text/plain") ?? "");
    });
    // Whatever got past the above (an input method, autofill) still leaves one character: the newest.
    cell.addEventListener("input", () => {
      const typed = characters(cell.value);
      if (typed.length > 1) {
        cell.value = boxed(typed.at(-1));
        panel.typed(cell);
      }
    });
    // The input method let go of the box: what it committed is typed like a key, saved, and the next box is next.
    cell.addEventListener("compositionend", (event) => {
      const committed = characters(event.data ?? "");
      if (committed.length === 1) enter(cell, committed[0]);
      else if (committed.length > 1) fill(cell, event.data);
      else {
        // Given up (Escape): the box keeps one character at most, and nothing was typed to save.
        const typed = characters(cell.value);
        if (typed.length > 1) cell.value = boxed(typed.at(-1));
        panel.typed(cell);
      }
    });
    cell.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (event.key === "Backspace") {
        event.preventDefault();
        note("");
        if (cell.value) {
          cell.value = "";
          panel.typed(cell);
          panel.save(cell);
        }
        step(cell, -1);
      } else if (event.key === "Delete") {
        event.preventDefault();
        note("");
        cell.value = "";
        panel.typed(cell);
        panel.save(cell);
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        step(cell, event.key === "ArrowLeft" ? -1 : 1);
      }
    });
  }
}
