"""The built sample site in a real browser and in the Nu Html Checker."""
