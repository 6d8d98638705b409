"""The rating screen beside a counter: three choices, optional reasons, thanks."""
