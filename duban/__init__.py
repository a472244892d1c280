"""Duban (督办): the work-supervision platform of a city government."""
