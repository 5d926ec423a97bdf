"""Widgets of the eksguide app. Their styles live in `widgets.tcss` beside them."""
