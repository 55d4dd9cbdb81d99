"""Office files, safely and generically: safe zips, opening and sniffing untrusted workbooks,
external references, the sandboxed LibreOffice, atomic writes, cached values, printing setup and
the typed values of cells. Knows nothing of the exercise; ``moodle`` and ``training`` use it too."""
