# One line per text file compiled into the binary: path, symbol, namespace.
