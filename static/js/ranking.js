// Ranking ballot: turns the rank selects into an ordered list you can rearrange by
// dragging (mouse, finger or pen) or with buttons (monter, descendre, retirer, ajouter).
// "Ex aequo avec la précédente" (a toggle) gives a card the same rank as the one above
// it, so the select posts the same number: ideas with the same rank are tied.
// The selects stay in the form, hidden, and are kept in sync: the same form posts with
// or without this script. Messages come from data-* attributes (translated server-side)
// and are announced in an aria-live region. No inline code: strict CSP.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] !== undefined ? String(values[key]) : "";
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function enhance(form) {
    var data = form.dataset;
    var max = parseInt(data.max, 10) || 0;
    var source = form.querySelector("[data-ranking-source]");
    var live = form.querySelector("[data-ranking-live]");
    var cards = Array.prototype.slice.call(source.querySelectorAll("[data-idea-id]"));
    if (!cards.length) { return; }

    var board = el("div", "ranking-board");
    var rankedHeading = el("h2", "ranking-heading", data.labelRanked);
    rankedHeading.id = "ranking-ranked-heading";
    var help = el("p", "hint", data.help);
    var ranked = el("ol", "ranking-list ranking-ranked");
    ranked.setAttribute("aria-labelledby", rankedHeading.id);
    var empty = el("p", "ranking-empty", data.empty);
    var unrankedHeading = el("h2", "ranking-heading", data.labelUnranked);
    unrankedHeading.id = "ranking-unranked-heading";
    var unranked = el("ul", "ranking-list ranking-unranked");
    unranked.setAttribute("aria-labelledby", unrankedHeading.id);
    var allRanked = el("p", "ranking-empty", data.allRanked);
    board.append(rankedHeading, help, empty, ranked, unrankedHeading, allRanked, unranked);
    source.parentNode.insertBefore(board, source);
    source.hidden = true;

    function select(card) { return card.querySelector("select"); }
    function title(card) { return card.dataset.title; }

    function button(label, action, card) {
      var b = el("button", "button button-small ranking-" + action);
      b.type = "button";
      b.dataset.action = action;
      b.append(document.createTextNode(label));
      var hidden = el("span", "visually-hidden", " « " + title(card) + " »");
      b.append(hidden);
      return b;
    }

    cards.forEach(function (card) {
      var field = card.querySelector("[data-rank-field]");
      if (field) { field.hidden = true; }
      var place = el("span", "ranking-place");
      place.setAttribute("aria-hidden", "true");
      card.insertBefore(place, card.firstChild);
      var handle = el("span", "drag-handle");
      handle.setAttribute("aria-hidden", "true");
      handle.title = data.handle;
      handle.textContent = "⠿";
      card.insertBefore(handle, card.firstChild);
      var note = el("span", "ranking-tie-note", data.tieNote);
      note.hidden = true;
      card.insertBefore(note, place.nextSibling);
      var tools = el("div", "ranking-tools");
      var tie = button(data.tie, "tie", card);
      tie.setAttribute("aria-pressed", "false");
      tools.append(button(data.up, "up", card), button(data.down, "down", card),
        tie, button(data.remove, "remove", card), button(data.add, "add", card));
      card.append(tools);
    });

    // Initial order: the ranks already chosen (a ballot being changed, or a form sent
    // back with an error), then the page order (the voter's own shuffle). Cards that
    // share a rank are ex aequo with the one above them.
    var previousRank = null;
    cards.map(function (card, i) {
      var value = parseInt(select(card).value, 10);
      return { card: card, rank: isNaN(value) ? Infinity : value, i: i };
    }).sort(function (a, b) { return a.rank - b.rank || a.i - b.i; })
      .forEach(function (item) {
        if (item.rank === Infinity || (max && ranked.children.length >= max)) {
          unranked.append(item.card);
          return;
        }
        if (item.rank === previousRank) { item.card.dataset.tied = "1"; }
        previousRank = item.rank;
        ranked.append(item.card);
      });

    function isTied(card) { return card.dataset.tied === "1"; }
    function untie(card) { delete card.dataset.tied; }

    // The rank of each ranked card: one more than the card above, or the same when
    // it is ex aequo with it (1, 2, 2, 3).
    function sync() {
      var rankedCards = Array.prototype.slice.call(ranked.children);
      var rank = 0;
      rankedCards.forEach(function (card, i) {
        if (i === 0) { untie(card); }
        var tied = isTied(card);
        if (!tied) { rank += 1; }
        select(card).value = String(rank);
        card.querySelector(".ranking-place").textContent = String(rank);
        card.querySelector(".ranking-tie-note").hidden = !tied;
        card.classList.add("is-ranked");
        card.classList.toggle("is-tied", tied);
        var tie = card.querySelector(".ranking-tie");
        tie.hidden = i === 0;
        tie.setAttribute("aria-pressed", tied ? "true" : "false");
      });
      Array.prototype.forEach.call(unranked.children, function (card) {
        untie(card);
        select(card).value = "";
        card.querySelector(".ranking-place").textContent = "";
        card.querySelector(".ranking-tie-note").hidden = true;
        card.querySelector(".ranking-tie").hidden = true;
        card.classList.remove("is-ranked", "is-tied");
      });
      var full = max && rankedCards.length >= max;
      cards.forEach(function (card) {
        var isRanked = card.parentNode === ranked;
        var index = rankedCards.indexOf(card);
        card.querySelector(".ranking-up").hidden = !isRanked;
        card.querySelector(".ranking-down").hidden = !isRanked;
        card.querySelector(".ranking-remove").hidden = !isRanked;
        card.querySelector(".ranking-add").hidden = isRanked;
        card.querySelector(".ranking-up").disabled = index === 0;
        card.querySelector(".ranking-down").disabled = index === rankedCards.length - 1;
        card.querySelector(".ranking-add").setAttribute("aria-disabled", full ? "true" : "false");
      });
      empty.hidden = rankedCards.length > 0;
      allRanked.hidden = unranked.children.length > 0;
    }

    function say(message) {
      // Clear first so the same sentence twice is announced twice.
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message; }, 30);
    }

    function placeOf(card) {
      return parseInt(select(card).value, 10) || Array.prototype.indexOf.call(ranked.children, card) + 1;
    }

    function announceMove(card) {
      say(fill(data.msgMoved, { title: title(card), place: placeOf(card), total: ranked.children.length }));
    }

    function add(card, before) {
      if (max && ranked.children.length >= max) {
        say(fill(data.msgFull, { max: max }));
        return false;
      }
      ranked.insertBefore(card, before || null);
      sync();
      say(fill(data.msgAdded, { title: title(card), place: placeOf(card) }));
      return true;
    }

    function remove(card) {
      unranked.append(card);
      sync();
      say(fill(data.msgRemoved, { title: title(card) }));
    }

    function toggleTie(card) {
      var above = card.previousElementSibling;
      if (!above) { return; }
      if (isTied(card)) {
        untie(card);
        sync();
        say(fill(data.msgUntied, { title: title(card), place: placeOf(card) }));
      } else {
        card.dataset.tied = "1";
        sync();
        say(fill(data.msgTied, { title: title(card), other: title(above), place: placeOf(card) }));
      }
    }

    function focusTool(card, preferred) {
      var order = [preferred, "up", "down", "tie", "remove", "add"];
      for (var i = 0; i < order.length; i += 1) {
        var b = card.querySelector(".ranking-" + order[i]);
        if (b && !b.hidden && !b.disabled) { b.focus(); return; }
      }
    }

    board.addEventListener("click", function (event) {
      var b = event.target.closest("button[data-action]");
      if (!b) { return; }
      var card = b.closest("[data-idea-id]");
      var action = b.dataset.action;
      // A card that moves leaves its tie behind: it is ranked alone where it lands.
      if (action === "up" || action === "down") { untie(card); }
      if (action === "tie") {
        toggleTie(card);
      } else if (action === "up" && card.previousElementSibling) {
        ranked.insertBefore(card, card.previousElementSibling);
        sync(); announceMove(card);
      } else if (action === "down" && card.nextElementSibling) {
        ranked.insertBefore(card.nextElementSibling, card);
        sync(); announceMove(card);
      } else if (action === "remove") {
        remove(card);
        focusTool(card, "add");
        return;
      } else if (action === "add") {
        if (add(card)) { focusTool(card, "remove"); }
        return;
      }
      focusTool(card, action);
    });

    // Dragging with pointer events (mouse, touch and pen alike), by the handle or by the
    // card itself when the pointer is not on a button or a link.
    var dragged = null;
    var moved = false;

    function dropTarget(x, y) {
      var under = document.elementFromPoint(x, y);
      if (!under) { return null; }
      var card = under.closest("[data-idea-id]");
      if (card && card !== dragged && board.contains(card)) { return { card: card }; }
      if (under.closest(".ranking-ranked") || under === rankedHeading || under === empty || under === help) {
        return { list: ranked };
      }
      if (under.closest(".ranking-unranked") || under === unrankedHeading || under === allRanked) {
        return { list: unranked };
      }
      return null;
    }

    board.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.target.closest("button, a, select")) { return; }
      var card = event.target.closest("[data-idea-id]");
      if (!card) { return; }
      dragged = card;
      moved = false;
      card.classList.add("is-dragging");
      if (event.target.closest(".drag-handle")) { event.preventDefault(); }
    });

    document.addEventListener("pointermove", function (event) {
      if (!dragged) { return; }
      var target = dropTarget(event.clientX, event.clientY);
      if (!target) { return; }
      moved = true;
      var wasRanked = dragged.parentNode === ranked;
      if (target.card) {
        var box = target.card.getBoundingClientRect();
        var before = event.clientY < box.top + box.height / 2 ? target.card : target.card.nextElementSibling;
        var list = target.card.parentNode;
        if (list === ranked && !wasRanked && max && ranked.children.length >= max) { return; }
        list.insertBefore(dragged, before);
      } else if (target.list === ranked && !wasRanked) {
        if (max && ranked.children.length >= max) { return; }
        ranked.append(dragged);
      } else if (target.list === unranked && wasRanked) {
        unranked.append(dragged);
      }
    });

    function endDrag() {
      if (!dragged) { return; }
      var card = dragged;
      dragged = null;
      card.classList.remove("is-dragging");
      if (!moved) { return; }
      untie(card);
      sync();
      if (card.parentNode === ranked) { announceMove(card); } else { say(fill(data.msgRemoved, { title: title(card) })); }
    }
    document.addEventListener("pointerup", endDrag);
    document.addEventListener("pointercancel", endDrag);

    form.classList.add("is-enhanced");
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-ranking]"), enhance);
  });
})();
