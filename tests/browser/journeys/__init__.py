"""Journeys as tests: what each kind of user goes through, in Chromium, at desktop and phone size.

Each journey photographs every page it meets into var/screenshots/<journey>/<size>/NN-<step>.png
and runs axe-core on it (README, "Journeys").
"""
