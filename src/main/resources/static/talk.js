// Talks to the server over one WebSocket at a time: connect, send text, log what goes each way, and
// explain how the connection ended.
"use strict";

(() => {
	/** What the common close codes mean for someone using this page (RFC 6455 section 7.4.1). */
	const CLOSE_CODES = {
		1000: "normal closure: the connection was closed on purpose",
		1001: "going away: the server is shutting down, or closed a connection that was idle too long",
		1002: "protocol error: a frame broke the WebSocket protocol",
		1003: "unsupported data: this endpoint accepts text messages only",
		1005: "no status: the close frame carried no code",
		1006: "dropped without a close frame: the server stopped or the network failed",
		1007: "invalid data: a text message was not valid UTF-8",
		1008: "policy violation: too many messages per second, or replies were not read in time",
		1009: "message too big: the server's size limit was exceeded",
		1011: "server error: the server hit an error; its log says more",
	};

	/**
	 * A token goes as a second subprotocol, bearer.TOKEN, beside "talk", which the server selects: a
	 * browser cannot set an Authorization header on a WebSocket, and a token in the URL would end up in
	 * logs and history. A subprotocol may only hold these characters, as may the server's tokens.
	 */
	const TOKEN_CHARACTERS = /^[A-Za-z0-9._~-]+$/;

	/** The log keeps this many entries, dropping the oldest, so a long session stays light. */
	const MAX_LOG_ENTRIES = 500;

	const $ = (id) => document.getElementById(id);
	const url = $("url");
	const token = $("token");
	const connect = $("connect");
	const disconnect = $("disconnect");
	const message = $("message");
	const send = $("send");
	const state = $("state");
	const closeInfo = $("close-info");
	const log = $("log");

	/** The one connection there is, if any; Connect is disabled until it has closed. */
	let socket = null;

	/** Whether it ever opened, and whether Disconnect was pressed before it did. */
	let opened = false;
	let cancelled = false;

	const scheme = location.protocol === "https:" ? "wss:" : "ws:";
	url.value = `${scheme}//${location.host}/talk-to-server`;

	function pad(n) {
		return String(n).padStart(2, "0");
	}

	function append(kind, label, text) {
		const now = new Date();
		const item = document.createElement("li");
		item.className = kind;
		const time = document.createElement("time");
		time.dateTime = now.toISOString();
		time.textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
		const who = document.createElement("span");
		who.className = "label";
		who.textContent = label;
		const body = document.createElement("span");
		body.className = "text";
		body.textContent = text;
		item.append(time, " ", who, " ", body);
		log.append(item);
		while (log.children.length > MAX_LOG_ENTRIES) {
			log.firstElementChild.remove();
		}
		log.scrollTop = log.scrollHeight;
	}

	/** Shows the state and enables only the controls that make sense in it. */
	function show(name) {
		state.textContent = name;
		state.dataset.state = name;
		const closed = name === "closed";
		const open = name === "open";
		url.disabled = !closed;
		token.disabled = !closed;
		connect.disabled = !closed;
		disconnect.disabled = !(open || name === "connecting");
		message.disabled = !open;
		send.disabled = !open;
	}

	function explain(event) {
		if (cancelled) {
			return "cancelled before the connection opened";
		}
		if (!opened && event.code === 1006) {
			return "could not connect: nothing listens at this address or path, or the server refused "
				+ "(a missing or wrong token, a page of another site, or the server is full or shutting down)";
		}
		return CLOSE_CODES[event.code] || "see RFC 6455 section 7.4 for this code";
	}

	function connectTo(address, secret) {
		if (secret && !TOKEN_CHARACTERS.test(secret)) {
			append("event", "error", "a token has only letters, digits, '-', '.', '_' and '~'");
			token.focus();
			return;
		}
		let ws;
		try {
			ws = secret ? new WebSocket(address, ["talk", `bearer.${secret}`]) : new WebSocket(address);
		}
		catch (error) {
			append("event", "error", `not a WebSocket URL: ${error.message}`);
			url.focus();
			return;
		}
		socket = ws;
		opened = false;
		cancelled = false;
		closeInfo.textContent = "";
		show("connecting");
		append("event", "connecting", secret ? `${ws.url} with a token` : ws.url);
		ws.binaryType = "arraybuffer";
		ws.addEventListener("open", () => {
			opened = true;
			show("open");
			// The extensions the server accepted: "permessage-deflate" when messages go compressed.
			append("event", "open", ws.extensions ? `connected, compressed (${ws.extensions})` : "connected");
			message.focus();
		});
		ws.addEventListener("message", (event) => {
			const text = typeof event.data === "string" ? event.data : `(binary, ${event.data.byteLength} bytes)`;
			append("received", "received", text);
		});
		ws.addEventListener("close", (event) => {
			socket = null;
			const reason = event.reason ? ` "${event.reason}"` : "";
			const meaning = explain(event);
			show("closed");
			closeInfo.textContent = `with code ${event.code}${reason}: ${meaning}.`;
			append("event", "closed", `code ${event.code}${reason}: ${meaning}`);
			connect.focus();
		});
	}

	$("connect-form").addEventListener("submit", (event) => {
		event.preventDefault();
		if (!socket) {
			connectTo(url.value.trim(), token.value.trim());
		}
	});

	disconnect.addEventListener("click", () => {
		if (socket) {
			show("closing");
			cancelled = !opened;
			socket.close(1000, "closed from the page");
		}
	});

	$("send-form").addEventListener("submit", (event) => {
		event.preventDefault();
		if (socket && socket.readyState === WebSocket.OPEN) {
			socket.send(message.value);
			append("sent", "sent", message.value || "(empty message)");
			message.value = "";
			message.focus();
		}
	});
})();
