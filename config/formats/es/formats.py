"""Spanish as US organizations write it: figures grouped like English ones
("25,000", as in es-US); dates and the rest from Django's Spanish formats."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
