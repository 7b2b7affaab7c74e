"""What several test suites share: fakes, clients, ports and servers.

* :mod:`tests.support.servers`: free ports, "does this URL answer", waiting for a server,
  stopping a process group, a Sanic app served in the test's event loop.
* :mod:`tests.support.rest`: raw HTTP to the REST channel.
* :mod:`tests.support.widget_client`: the widget's socket.io protocol.
* :mod:`tests.support.chromium`: Debian's Chromium for Playwright.
* :mod:`tests.support.fake_platforms`, :mod:`tests.support.payloads`,
  :mod:`tests.support.channel_harness`: fake Messenger / Telegram / Twilio APIs, their
  webhook requests, one channel served with a scripted bot.
* :mod:`tests.support.fake_rasa`: a tiny stand-in for Rasa's HTTP API.
* :mod:`tests.support.staff`: fresh stores and recorded tracker rows.

The running stack and the staff app on a free port are in :mod:`bot.harness` (the
benchmark uses them too).
"""
