// A battle's page: step through its turns, play them back at a chosen speed, and follow a
// running battle live. The page is whole without this script (every turn is in the HTML);
// this only hides what comes after the turn being shown and redraws the health bars.
"use strict";

(function () {
  const article = document.getElementById("battle");
  if (!article) {
    return;
  }
  const turns = document.getElementById("turns");
  const controls = document.getElementById("controls");
  const fighters = Array.from(document.querySelectorAll("#fighters .fighter"));
  const jump = document.getElementById("jump");
  const shown = document.getElementById("shown");
  const speed = document.getElementById("speed");
  const play = document.getElementById("play");
  const status = document.getElementById("status");
  const verdict = document.getElementById("verdict");
  let current = Number(article.dataset.turns);
  // At the last turn, a new turn from the live feed is shown as it comes.
  let following = true;
  let timer = null;

  function entries() {
    return Array.from(turns.querySelectorAll("li.turn"));
  }

  function lastTurn() {
    const all = entries();
    return all.length ? Number(all[all.length - 1].dataset.turn) : 0;
  }

  function show(turn) {
    const last = lastTurn();
    current = Math.max(0, Math.min(turn, last));
    following = current === last;
    for (const entry of entries()) {
      const n = Number(entry.dataset.turn);
      entry.hidden = n > current;
      entry.classList.toggle("current", n === current);
    }
    const entry = document.getElementById("turn-" + current);
    if (entry) {
      const hp = entry.dataset.hp.split(",").map(Number);
      fighters.forEach(function (fighter, seat) {
        const left = hp[seat] || 0;
        fighter.querySelector("progress").value = left;
        fighter.querySelector(".hp").textContent = left + " / " + fighter.dataset.hpMax;
        fighter.classList.toggle("down", left === 0);
      });
    }
    jump.max = String(last);
    jump.value = String(current);
    shown.textContent = String(current);
  }

  function stop() {
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
    play.textContent = "▶ Play";
  }

  function start() {
    if (current >= lastTurn()) {
      show(0);
    }
    play.textContent = "⏸ Pause";
    timer = setInterval(function () {
      if (current >= lastTurn()) {
        stop();
      } else {
        show(current + 1);
      }
    }, Number(speed.value));
  }

  document.getElementById("first").addEventListener("click", function () { stop(); show(0); });
  document.getElementById("previous").addEventListener("click", function () { stop(); show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { stop(); show(current + 1); });
  document.getElementById("last").addEventListener("click", function () { stop(); show(lastTurn()); });
  play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
  speed.addEventListener("change", function () { if (timer !== null) { stop(); start(); } });
  jump.addEventListener("input", function () { stop(); show(Number(jump.value)); });
  controls.hidden = false;
  show(current);

  function append(turn) {
    if (document.getElementById("turn-" + turn.turn)) {
      return;
    }
    const entry = document.createElement("li");
    entry.className = "turn";
    entry.id = "turn-" + turn.turn;
    entry.dataset.turn = String(turn.turn);
    entry.dataset.hp = turn.hp.join(",");
    const heading = document.createElement("h3");
    heading.textContent = "Turn " + turn.turn;
    entry.appendChild(heading);
    const lines = document.createElement("ul");
    for (const text of turn.lines) {
      const line = document.createElement("li");
      line.textContent = text;
      lines.appendChild(line);
    }
    entry.appendChild(lines);
    turns.appendChild(entry);
  }

  const live = article.dataset.live;
  if (live && window.EventSource) {
    // The browser resumes a dropped feed by itself, sending the last frame's id.
    const source = new EventSource(live + "?after=" + article.dataset.version);
    source.addEventListener("turn", function (event) {
      const turn = JSON.parse(event.data);
      const wasFollowing = following;
      append(turn);
      status.textContent = "Running: turn " + (turn.turn + 1) + ".";
      if (wasFollowing && timer === null) {
        show(turn.turn);
      } else {
        jump.max = String(lastTurn());
      }
    });
    source.addEventListener("end", function (event) {
      const end = JSON.parse(event.data);
      verdict.textContent = end.verdict;
      verdict.hidden = false;
      status.textContent = "Over after " + end.turns + " turns.";
      article.dataset.over = "true";
      source.close();
    });
  }
})();
