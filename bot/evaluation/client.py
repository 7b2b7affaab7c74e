"""A small client for the two Rasa endpoints the evaluation uses.

``POST {url}/webhooks/rest/webhook`` sends a visitor message and returns the bot's
messages; ``GET {url}/conversations/{sender}/tracker?token=...`` returns the tracker.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

DEFAULT_TIMEOUT = 30.0


class RasaError(RuntimeError):
    """Rasa could not be reached, refused the request or answered something unusable."""


class RasaClient:
    """Stateless and thread-safe: every call opens its own connection."""

    def __init__(
        self, base_url: str, token: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"Rasa URL must start with http:// or https://, got {base_url!r}")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout!r}")
        self.base_url = base_url.rstrip("/")
        self.token = token or None
        self.timeout = timeout

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Send one visitor message; return the bot's messages (possibly none)."""
        path = "/webhooks/rest/webhook"
        data = self._request("POST", path, {"sender": sender, "message": message})
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise RasaError(f"POST {path}: expected a JSON list of messages, got {_short(data)}")
        return data

    def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker (needs the server's ``--enable-api``)."""
        path = f"/conversations/{urllib.parse.quote(sender, safe='')}/tracker"
        data = self._request("GET", path)
        if not isinstance(data, dict):
            raise RasaError(f"GET {path}: expected a JSON object, got {_short(data)}")
        return data

    def version(self) -> dict[str, Any]:
        """``GET /version``: a cheap check that the server is up."""
        data = self._request("GET", "/version")
        if not isinstance(data, dict):
            raise RasaError(f"GET /version: expected a JSON object, got {_short(data)}")
        return data

    def _url(self, path: str) -> str:
        if self.token is None:
            return self.base_url + path
        return f"{self.base_url}{path}?{urllib.parse.urlencode({'token': self.token})}"

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        where = f"{method} {self.base_url}{path}"  # never shows the token
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self._url(path), data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode("utf-8", "replace").strip()
            hint = " (check --token)" if error.code in (401, 403) else ""
            raise RasaError(f"{where}: HTTP {error.code} {error.reason}{hint}: {detail}") from None
        except TimeoutError:
            raise RasaError(f"{where}: no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (socket.timeout, TimeoutError)):
                raise RasaError(f"{where}: no answer within {self.timeout:g} s") from None
            raise RasaError(
                f"{where}: cannot reach Rasa ({error.reason}); is it running with "
                "--enable-api and the rest channel in credentials.yml?"
            ) from None
        except OSError as error:
            raise RasaError(f"{where}: connection failed: {error}") from None
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RasaError(f"{where}: the answer is not JSON: {_short(raw)}") from None


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
