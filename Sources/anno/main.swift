import AnnoCLI

Anno.main()
