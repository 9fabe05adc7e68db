module ${{ values.modulePath }}

go ${{ values.versions.go }}
