from empathica.cli import main

main()
