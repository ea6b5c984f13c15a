"""The widget's Server-Sent Events reader, run in the browser on awkwardly split streams."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.live import LiveApp

READ_SPLIT = """async (text) => {
  const { readEvents } = await import("/widget/sse.js");
  const bytes = new TextEncoder().encode(text);
  const runs = [];
  for (let size = 1; size <= 7; size++) {
    const body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readEvents(body)) events.push(event);
    runs.push(events);
  }
  return runs;
}"""


def test_events_survive_any_chunking(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/healthz")  # any page of the app's origin can import the module
    stream = (
        'event: meta\r\ndata: {"conversation_id": "c1"}\r\n\r\n'
        ": a comment, then a keep-alive\n\n"
        'event: token\ndata: {"text": "Réponse — [1] "}\n\n'
        'data: {"multi":\ndata: "line"}\n\n'
    )
    expected = [
        {"event": "meta", "data": {"conversation_id": "c1"}},
        {"event": "token", "data": {"text": "Réponse — [1] "}},
        {"event": "message", "data": {"multi": "line"}},
    ]
    for events in page.evaluate(READ_SPLIT, stream):
        assert events == expected
