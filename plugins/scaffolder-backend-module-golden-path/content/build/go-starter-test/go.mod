module ${{ values.name }}

go ${{ values.versions.go }}
