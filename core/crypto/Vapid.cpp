// implemented by the crypto work
