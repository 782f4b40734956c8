"""Text typed by strangers, made safe to carry in XML, a mail header or a CSV cell."""

import re

# XML 1.0 allows tab, newline and carriage return, and nothing else below
# space; U+FFFE/U+FFFF and lone surrogates are not characters at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """Text XML can carry: control characters gone, line ends as newlines."""
    return _NOT_XML.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def one_line(value):
    """A name, an address line or a subject: no line breaks, single spaces."""
    return " ".join(xml_text(value).split())
