"""The admin assistant: admin docs, live data tools, actions on confirmation."""
