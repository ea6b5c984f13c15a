"""HTTP routes: thin routers that parse input, call one service and return a schema."""
