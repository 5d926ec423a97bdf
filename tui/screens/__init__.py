"""The app's screens: one module per screen, styles in the .tcss file beside each."""
