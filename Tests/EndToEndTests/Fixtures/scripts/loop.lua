local total = 0
for d in quarry.documents() do
  total = total + #d.sentences
  print(d.id, #d.sentences)
end
print("total", total)
